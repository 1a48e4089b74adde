import Foundation
import TradelabRun

/// The latest live state of each session and its publication on the ``LiveHub``: intermediate
/// states as the worker wrote them (forwarded without decoding), pauses and final states typed.
struct LivePublisher {
    let hub: LiveHub
    /// Decoded states (pauses, finals); only the newer of this and ``raw`` is kept.
    private var states: [String: LiveState] = [:]
    /// Intermediate states as the worker wrote them.
    private var raw: [String: StateLine] = [:]

    init(hub: LiveHub) { self.hub = hub }

    /// An intermediate state, forwarded as it is.
    mutating func forward(_ line: StateLine, session id: String) {
        raw[id] = line
        states.removeValue(forKey: id)
        guard hub.clientCount > 0 else { return }
        hub.publish(session: id, text: LiveMessage.text(sessionId: id, rawState: line.json), final: false)
    }

    /// A typed state (a pause, or a state with news), published as intermediate.
    mutating func publish(_ state: LiveState, session id: String) {
        states[id] = state
        raw.removeValue(forKey: id)
        send(LiveMessage(sessionId: id, state: state, error: nil), final: false)
    }

    /// Keeps a state as the session's latest without publishing it (the worker's last state,
    /// which ``publishFinal(_:)`` publishes with the final status).
    mutating func keep(_ state: LiveState, session id: String) {
        states[id] = state
        raw.removeValue(forKey: id)
    }

    /// The final state of a session that ended: its last state with the final status and progress.
    mutating func publishFinal(_ record: SessionRecord) {
        let forwarded = raw.removeValue(forKey: record.id).flatMap { try? JSONCoding.decode(LiveState.self, from: Data($0.json)) }
        var state = states[record.id] ?? forwarded
            ?? LiveState(currentCandleIndex: record.currentCandleIndex, status: record.status.rawValue, totalCandles: record.totalCandles)
        state.status = record.status.rawValue
        state.progressPercent = SessionView.percent(record)
        states[record.id] = state
        send(LiveMessage(sessionId: record.id, state: state, error: record.errorCode.map { .init(code: $0, message: record.errorMessage ?? "") }),
             final: true)
    }

    /// The latest message of a session, as a client subscribing now should first see it (a page
    /// opened on a paused or finished run shows its figures at once); nil when there is none.
    func latestMessage(of id: String, record: SessionRecord?) -> (text: String, final: Bool)? {
        let final = record?.status.isFinal ?? false
        if let line = raw[id] { return (LiveMessage.text(sessionId: id, rawState: line.json), final) }
        guard let state = states[id] else { return nil }
        let error = final ? record?.errorCode.map { SessionView.Failure(code: $0, message: record?.errorMessage ?? "") } : nil
        return (try? CompactJSONEncoder.string(LiveMessage(sessionId: id, state: state, error: error))).map { ($0, final) }
    }

    /// Time of the last bar processed, as the latest state says.
    func currentTime(of id: String) -> String? { states[id]?.currentTime ?? raw[id]?.time }

    /// Forgets a session's states.
    mutating func forget(_ id: String) {
        states.removeValue(forKey: id)
        raw.removeValue(forKey: id)
    }

    private func send(_ message: LiveMessage, final: Bool) {
        guard hub.clientCount > 0, let text = try? CompactJSONEncoder.string(message) else { return }
        hub.publish(session: message.sessionId, text: text, final: final)
    }
}

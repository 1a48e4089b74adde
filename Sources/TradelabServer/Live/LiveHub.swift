import Foundation
import Synchronization

/// Fans live messages out to WebSocket clients without ever waiting for them.
///
/// Each client has a mailbox holding at most one undelivered intermediate message per session:
/// a newer state replaces an older one still waiting, so a slow client costs a bounded amount of
/// memory and never slows a run. Final messages (completion, stop, failure) are never replaced
/// or dropped.
final class LiveHub: Sendable {
    /// One connected client.
    final class Client: Sendable {
        private struct Pending {
            var messages: [(session: String, text: String, final: Bool)] = []
            /// Every session except `excluded` (the default), or only `sessions`.
            var all = true
            var sessions: Set<String> = []
            var excluded: Set<String> = []

            func wants(_ session: String) -> Bool { all ? !excluded.contains(session) : sessions.contains(session) }
        }
        private let pending = Mutex(Pending())
        /// Wakes the client's writer when messages wait (at most one wake-up is buffered).
        let wakeups: AsyncStream<Void>
        private let wake: AsyncStream<Void>.Continuation

        init() {
            (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        }

        /// Receive every session's messages (the default).
        func subscribeAll() { pending.withLock { $0.all = true; $0.sessions = []; $0.excluded = [] } }

        /// Receive only these sessions' messages from now on (added to earlier subscriptions).
        func subscribe(_ ids: [String]) {
            pending.withLock { p in
                if p.all { p.all = false; p.sessions = [] }
                p.sessions.formUnion(ids)
            }
        }

        /// Stop receiving these sessions' messages (the others keep coming).
        func unsubscribe(_ ids: [String]) {
            pending.withLock { p in
                if p.all { p.excluded.formUnion(ids) } else { p.sessions.subtract(ids) }
            }
        }

        func offer(session: String, text: String, final: Bool) {
            let accepted = pending.withLock { p -> Bool in
                guard p.wants(session) else { return false }
                if let k = p.messages.firstIndex(where: { $0.session == session && !$0.final }) {
                    if final { p.messages.remove(at: k); p.messages.append((session, text, true)) } else { p.messages[k].text = text }
                } else {
                    p.messages.append((session, text, final))
                }
                return true
            }
            if accepted { wake.yield() }
        }

        /// Takes every waiting message, oldest first.
        func drain() -> [String] {
            pending.withLock { p in
                defer { p.messages.removeAll(keepingCapacity: true) }
                return p.messages.map(\.text)
            }
        }

        func close() { wake.finish() }
    }

    private let clients = Mutex<[ObjectIdentifier: Client]>([:])

    /// Registers a new client.
    func connect() -> Client {
        let client = Client()
        clients.withLock { $0[ObjectIdentifier(client)] = client }
        return client
    }

    /// Removes a client.
    func disconnect(_ client: Client) {
        clients.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(client)) }
        client.close()
    }

    /// Number of connected clients.
    var clientCount: Int { clients.withLock { $0.count } }

    /// Offers a message about `session` to every client subscribed to it.
    func publish(session: String, text: String, final: Bool) {
        for client in clients.withLock({ Array($0.values) }) {
            client.offer(session: session, text: text, final: final)
        }
    }
}

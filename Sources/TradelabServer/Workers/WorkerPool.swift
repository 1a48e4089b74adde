import Foundation
import TradelabRun

/// Where runs execute: one isolated worker per assignment. Backtest sessions use it now;
/// optimizer tasks and long-lived runners are next. The server's implementation starts
/// `tradelab worker` processes (``ProcessWorkerPool``); tests use an in-process double.
protocol WorkerPool: Sendable {
    /// Starts a worker on `assignment` under `limits`.
    /// - Throws: when no worker can be started.
    func spawn(_ assignment: WorkerAssignment, limits: WorkerLimits) throws -> any WorkerHandle
    /// Ends every spare worker the pool keeps ready (server shutdown).
    func shutdown()
}

/// Limits a worker runs under.
struct WorkerLimits: Sendable {
    /// Wall-clock seconds, pauses excluded.
    var seconds: Double
    /// Resident memory in bytes.
    var memoryBytes: Int
}

/// One running worker, as its supervisor sees it.
protocol WorkerHandle: AnyObject, Sendable {
    /// What the worker says, in order; ``WorkerOutput/exited(_:)`` is always last.
    var output: AsyncStream<WorkerOutput> { get }
    /// Sends `pause`, `resume` or `stop`.
    func send(_ command: RunControl.Command)
    /// Ends the worker at once, recording why.
    func kill(reason: String)
    /// The worker reported its pause: the time limit stops counting from now on.
    func markPaused()
    /// Seconds spent running so far, pauses excluded.
    var runningSeconds: Double { get }
    /// Seconds since the worker reported its pause (0 when it is not paused).
    var pausedSeconds: Double { get }
}

/// What a supervisor hears from a worker.
enum WorkerOutput: Sendable {
    /// An event.
    case event(WorkerEvent)
    /// An intermediate live state, passed on without decoding it.
    case state(StateLine)
    /// The worker ended (always the last output).
    case exited(WorkerExit)
}

/// How a worker ended.
struct WorkerExit: Sendable {
    /// Exit status or signal number.
    var status: Int32
    /// Whether it was killed by a signal.
    var signaled: Bool
    /// Why the supervisor killed it, if it did.
    var killReason: String?
    /// The end of its standard error.
    var stderrTail: String
}

/// An intermediate `state` event with the three fields the server reads, and the state's JSON
/// as the worker wrote it (forwarded to WebSocket clients as it is).
struct StateLine: Sendable {
    /// The `state` object's JSON.
    var json: [UInt8]
    /// Bars processed over all runs.
    var index: Int
    /// Time of the last processed bar.
    var time: String?

    /// Reads an event line when it is a `state` event of a running session; nil for any other
    /// line (which is then decoded whole). A structural scan, not a decode.
    init?(_ line: [UInt8]) {
        guard let event = JSONObjectScanner.members(of: line), let type = event["type"],
              JSONObjectScanner.string(line, type) == WorkerEvent.Kind.state.rawValue,
              let range = event["state"], let state = JSONObjectScanner.members(of: line, in: range),
              let status = state["status"], JSONObjectScanner.string(line, status) == "running",
              let index = state["currentCandleIndex"].flatMap({ JSONObjectScanner.integer(line, $0) }) else { return nil }
        self.index = index
        json = Array(line[range])
        time = state["currentTime"].flatMap { JSONObjectScanner.string(line, $0) }
    }
}

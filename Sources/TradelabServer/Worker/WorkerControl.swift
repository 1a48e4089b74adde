import Foundation

/// The commands a worker obeys, written one per line on its standard input after the job:
/// `pause`, `resume`, `stop`. End of input counts as `stop` (the server went away).
///
/// A reader thread calls ``apply(_:)``; the run calls ``checkpoint(onPause:onResume:)`` between
/// slices of bars, which blocks while paused.
public final class WorkerControl: @unchecked Sendable {
    private let condition = NSCondition()
    private var paused = false
    private var stopped = false

    /// Creates a control in the running state.
    public init() {}

    /// Applies one command line.
    /// - Returns: false for an unknown command (ignored).
    @discardableResult
    public func apply(_ line: String) -> Bool {
        condition.lock()
        defer { condition.broadcast(); condition.unlock() }
        switch line.trimmingCharacters(in: .whitespaces) {
        case "pause": paused = true
        case "resume": paused = false
        case "stop": stopped = true
        default: return false
        }
        return true
    }

    /// Waits while paused, calling `onPause` once when a pause begins and `onResume` when it ends.
    /// - Returns: true when the run must stop.
    public func checkpoint(onPause: () -> Void, onResume: () -> Void) -> Bool {
        condition.lock()
        guard paused, !stopped else {
            defer { condition.unlock() }
            return stopped
        }
        condition.unlock()
        onPause()
        condition.lock()
        while paused && !stopped { condition.wait() }
        let stop = stopped
        condition.unlock()
        if !stop { onResume() }
        return stop
    }
}

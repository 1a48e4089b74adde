import Foundation

/// Pause, resume and stop requests for a running job, from any thread.
///
/// The run calls ``checkpoint(onPause:onResume:)`` between slices of bars, which blocks while
/// paused. A stop also fires the cancel handler the run installed, so a script stuck inside one
/// `on_bar` call is interrupted at once instead of at the next slice.
public final class RunControl: @unchecked Sendable {
    /// A request.
    public enum Command: String, Sendable, CaseIterable {
        case pause, resume, stop
    }

    private let condition = NSCondition()
    private var paused = false
    private var stopped = false
    private var cancelHandler: (@Sendable () -> Void)?

    /// Creates a control in the running state.
    public init() {}

    /// Applies a request.
    public func apply(_ command: Command) {
        condition.lock()
        switch command {
        case .pause: paused = true
        case .resume: paused = false
        case .stop: stopped = true
        }
        let cancel = command == .stop ? cancelHandler : nil
        condition.broadcast()
        condition.unlock()
        cancel?()
    }

    /// Whether a stop was requested.
    public var isStopped: Bool { condition.withLock { stopped } }

    /// Installs what a stop calls (nil removes it); called at once when a stop already arrived.
    public func onStop(_ handler: (@Sendable () -> Void)?) {
        condition.lock()
        cancelHandler = handler
        let now = stopped
        condition.unlock()
        if now { handler?() }
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

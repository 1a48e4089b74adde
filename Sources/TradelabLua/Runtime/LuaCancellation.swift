import Synchronization

/// Cancels every sandbox created with it, running or yet to be created, from any thread: an
/// optimizer's stop interrupts each trial's script at once, also one stuck in a loop.
///
/// ```swift
/// let stop = LuaCancellation()
/// var strategy = try LuaStrategy(source: text, fileName: "s.lua")
/// strategy.cancellation = stop      // each run's sandbox is created with it
/// stop.cancel()                     // from another thread: the run fails as cancelled
/// ```
public final class LuaCancellation: Sendable {
    private let cancelled = Atomic(false)

    /// Creates a cancellation that has not fired.
    public init() {}

    /// Whether ``cancel()`` was called.
    public var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    /// Trips every sandbox created with it as cancelled, and every one created later at once.
    public func cancel() {
        cancelled.store(true, ordering: .releasing)
        Watchdog.shared.cancel(group: self)
    }
}

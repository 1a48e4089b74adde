import Foundation

/// Time for the Binance client and fetcher: what time it is (which month is still open, when
/// the rate-limit minute ends) and how to wait. Tests inject a manual clock that never sleeps.
public protocol FetchClock: Sendable {
    /// The current time, UTC milliseconds.
    func now() -> Int64
    /// Waits `milliseconds`.
    /// - Throws: `CancellationError` when the task is cancelled.
    func sleep(milliseconds: Int64) async throws
}

/// The system clock; `now` can be pinned (e.g. `tradelab data fetch --now`) while waits stay real.
public struct SystemFetchClock: FetchClock {
    /// A pinned time, if any.
    public var pinnedNow: Int64?

    /// Creates the clock.
    /// - Parameter pinnedNow: A fixed answer for ``now()``; nil for the real time.
    public init(pinnedNow: Int64? = nil) {
        self.pinnedNow = pinnedNow
    }

    /// The pinned time or the system time.
    public func now() -> Int64 {
        pinnedNow ?? Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// Sleeps with `Task.sleep`.
    public func sleep(milliseconds: Int64) async throws {
        guard milliseconds > 0 else { return }
        try await Task.sleep(nanoseconds: UInt64(milliseconds) * 1_000_000)
    }
}

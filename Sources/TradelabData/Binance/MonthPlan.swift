import TradelabCore

/// What a fetch does with one month of the requested range: which spans it asks Binance for and
/// which cached bars it keeps. Pure: computed from the request, the clock and the sidecar.
public struct MonthPlan: Sendable, Equatable {
    /// The month.
    public var month: UTCMonth
    /// The requested part of the month, cut at the first bar that has not closed yet.
    public var wanted: Range<Int64>
    /// Spans to request, oldest first; empty when the cache already covers `wanted`.
    public var fetch: [Range<Int64>]
    /// The cached span whose bars are kept where nothing is re-fetched.
    public var kept: Range<Int64>?
    /// The coverage once every span is fetched: the cached span joined with `wanted` (and the
    /// hole between them, if any, so coverage stays one span).
    public var coverage: Range<Int64>
    /// Whether bars of the month have yet to close (the current month): it is re-fetched every time.
    public var isOpen: Bool

    /// Whether the cache answers the month with no request.
    public var isCached: Bool { fetch.isEmpty }

    /// Plans `month` for a request of `requested` at `now`.
    /// - Parameters:
    ///   - month: The month.
    ///   - requested: Open times asked for, `[from, to)`.
    ///   - interval: The kline interval.
    ///   - now: The current time (UTC ms): bars opening at or after `interval.bucketStart(now)` are
    ///     still forming and never stored.
    ///   - cached: The month's usable coverage record, if any.
    public init(month: UTCMonth, requested: Range<Int64>, interval: Timeframe, now: Int64, cached: PartitionCoverage?) {
        let horizon = interval.bucketStart(now)
        let lower = max(requested.lowerBound, month.start)
        let upper = min(requested.upperBound, month.end, horizon)
        self.month = month
        self.wanted = lower..<max(lower, upper)
        self.isOpen = month.end > horizon
        let cachedSpan = cached.map(\.covered).flatMap { $0.isEmpty ? nil : $0 }
        self.kept = cachedSpan
        guard !wanted.isEmpty else {
            fetch = []
            coverage = cachedSpan ?? wanted
            return
        }
        guard let cachedSpan else {
            fetch = [wanted]
            coverage = wanted
            return
        }
        coverage = TimeRanges.hull(cachedSpan, wanted)
        let missing = TimeRanges.subtracting(cachedSpan, from: coverage)
        // The open month: what was cached may have been fetched before bars closed; ask again.
        fetch = TimeRanges.normalized(isOpen ? missing + [wanted] : missing)
    }

    /// Whether a month whose coverage is `span` is finished: the whole month, all bars closed.
    static func isComplete(_ span: Range<Int64>, month: UTCMonth, interval: Timeframe, now: Int64) -> Bool {
        span == month.range && month.end <= interval.bucketStart(now)
    }
}

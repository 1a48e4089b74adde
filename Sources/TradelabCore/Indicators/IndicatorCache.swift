import Synchronization

/// Indicator columns over one bar series, each computed once and shared by every run over those
/// bars: an optimizer's trials that all read SMA(20) compute it once.
///
/// Thread-safe. Bounded by a byte budget: past it the least recently used columns are dropped
/// (and computed again if asked for), so a 10,000-combination grid on a million bars does not
/// keep hundreds of columns. Two threads asking at once for a column not held yet may both
/// compute it; the values are the same.
///
/// ```swift
/// let cache = IndicatorCache(bars: bars)
/// var strategy = NativeStrategy.smaCross(SmaCross(fast: 10, slow: 30))
/// strategy.share(cache)   // its SMAs now come from the cache
/// ```
public final class IndicatorCache: Sendable {
    /// The bars the columns are computed over.
    public let bars: BarSeries
    /// Most bytes of columns kept.
    public let budgetBytes: Int
    private let state = Mutex(State())

    private struct State {
        var entries: [IndicatorSpec: (values: [[Double]], lastUse: Int)] = [:]
        var bytes = 0
        var tick = 0
        var computed = 0
    }

    /// Creates an empty cache for `bars`, keeping at most `budgetBytes` of columns (128 MiB by
    /// default: 16 columns of a million bars).
    public init(bars: BarSeries, budgetBytes: Int = 128 << 20) {
        self.bars = bars
        self.budgetBytes = budgetBytes
    }

    /// True when `other` is the series this cache is for (same length and the same first and
    /// last bar), so that a run over it may take its columns from here.
    public func covers(_ other: BarSeries) -> Bool {
        other.count == bars.count && other.timestamps.first == bars.timestamps.first && other.timestamps.last == bars.timestamps.last
            && other.close.first == bars.close.first && other.close.last == bars.close.last
    }

    /// The columns of `spec` over the cache's bars (one per output), computed on first use.
    public func values(of spec: IndicatorSpec) -> [[Double]] {
        if let held = state.withLock({ s -> [[Double]]? in
            s.tick += 1
            guard let entry = s.entries[spec] else { return nil }
            s.entries[spec]?.lastUse = s.tick
            return entry.values
        }) { return held }
        let values = spec.compute(on: bars)
        let size = values.reduce(0) { $0 + $1.count } * MemoryLayout<Double>.stride
        return state.withLock { s in
            if let entry = s.entries[spec] { return entry.values }
            s.computed += 1
            while s.bytes + size > budgetBytes, let oldest = s.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                s.bytes -= oldest.value.values.reduce(0) { $0 + $1.count } * MemoryLayout<Double>.stride
                s.entries[oldest.key] = nil
            }
            if size <= budgetBytes {
                s.entries[spec] = (values, s.tick)
                s.bytes += size
            }
            return values
        }
    }

    /// How many times a column was computed (once per spec unless the budget dropped it).
    public var computations: Int { state.withLock { $0.computed } }
}

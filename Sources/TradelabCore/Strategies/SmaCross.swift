/// Moving-average crossover: buy when the fast SMA crosses above the slow one, sell when it
/// crosses below.
///
/// A cross is strict, as in backtesting.py: `fast[i-1] < slow[i-1] && fast[i] > slow[i]`
/// (touching is not crossing). On a long/short account each signal reverses the position; on a
/// long-only account the sell signal just closes the long.
public struct SmaCross: Strategy {
    /// Fast SMA period.
    public var fast: Int
    /// Slow SMA period.
    public var slow: Int
    @usableFromInline var fastAverage = SMA(period: 1)
    @usableFromInline var slowAverage = SMA(period: 1)
    /// Previous and current values of both averages (NaN during warm-up).
    @usableFromInline var previous = (fast: Double.nan, slow: Double.nan)
    /// Where the averages come from when shared (see ``share(_:)``); nil: computed bar by bar.
    public var sharedIndicators: IndicatorCache?
    /// The shared columns of both averages for this run (empty when streaming).
    @usableFromInline var columns: (fast: [Double], slow: [Double]) = ([], [])

    /// Creates the strategy.
    /// - Parameters:
    ///   - fast: Fast SMA period (default 10).
    ///   - slow: Slow SMA period (default 20).
    public init(fast: Int = 10, slow: Int = 20) {
        self.fast = fast
        self.slow = slow
    }

    /// "sma-cross(fast=10, slow=20)".
    public var name: String { "sma-cross(fast=\(fast), slow=\(slow))" }
    /// The slow SMA's lookback.
    public var warmup: Int { max(fast, slow) - 1 }

    /// Checks the periods and resets the averages. The SMAs are then updated natively on each bar
    /// (the streaming form, bit-identical to the batch one), so no series-length array is allocated;
    /// or, with ``sharedIndicators`` covering `bars`, read from the columns computed once there.
    /// Equal periods are allowed (a grid may hold them): the averages never cross, so the
    /// strategy never trades, as in backtesting.py.
    public mutating func prepare(bars: BarSeries) throws {
        guard fast >= 1, slow >= 1 else {
            throw BacktestError.strategy("sma-cross needs periods >= 1, got fast=\(fast) slow=\(slow)")
        }
        fastAverage = SMA(period: fast)
        slowAverage = SMA(period: slow)
        previous = (.nan, .nan)
        columns = ([], [])
        if let cache = sharedIndicators, cache.covers(bars),
           let fastSpec = try? IndicatorSpec(name: "sma", parameters: [Double(fast)]),
           let slowSpec = try? IndicatorSpec(name: "sma", parameters: [Double(slow)]) {
            columns = (cache.values(of: fastSpec)[0], cache.values(of: slowSpec)[0])
        }
    }

    /// Buy on an upward cross, sell on a downward cross, hold otherwise.
    /// Must be called for every bar in order (the backtest loop does), except with shared columns,
    /// where it reads the previous bar's averages from them (see ``nextDecision(from:)``).
    @inlinable @inline(__always)
    public mutating func onBar(_ context: StrategyContext) -> Action {
        let f1: Double, s1: Double, f0: Double, s0: Double
        if columns.fast.isEmpty {
            let close = context.close
            (f1, s1) = (fastAverage.update(close), slowAverage.update(close))
            (f0, s0) = previous
            previous = (f1, s1)
        } else {
            let i = context.index
            (f1, s1) = (columns.fast[i], columns.slow[i])
            (f0, s0) = i > 0 ? (columns.fast[i - 1], columns.slow[i - 1]) : (.nan, .nan)
        }
        if f0 < s0 && f1 > s1 { return .buy }
        if f0 > s0 && f1 < s1 { return .sell }
        return .hold
    }

    /// With shared columns, the next bar where the averages cross (no state is kept between
    /// bars, so the bars before it need no call); else `index`.
    @inlinable
    public func nextDecision(from index: Int) -> Int {
        let fast = columns.fast, slow = columns.slow
        guard !fast.isEmpty else { return index }
        var i = max(index, 1)
        while i < fast.count {
            let f0 = fast[i - 1], s0 = slow[i - 1], f1 = fast[i], s1 = slow[i]
            if (f0 < s0 && f1 > s1) || (f0 > s0 && f1 < s1) { return i }
            i += 1
        }
        return fast.count
    }
}

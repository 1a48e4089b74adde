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
    @usableFromInline var fastValues: [Double] = []
    @usableFromInline var slowValues: [Double] = []

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

    /// Computes both SMAs natively over the whole series (each value uses only earlier closes).
    public mutating func prepare(bars: BarSeries) throws {
        guard fast >= 1, slow >= 1, fast != slow else {
            throw BacktestError.strategy("sma-cross needs two different periods >= 1, got fast=\(fast) slow=\(slow)")
        }
        fastValues = SMA.compute(bars.close, period: fast)
        slowValues = SMA.compute(bars.close, period: slow)
    }

    /// Buy on an upward cross, sell on a downward cross, hold otherwise.
    @inlinable @inline(__always)
    public func onBar(_ context: StrategyContext) -> Action {
        let i = context.index
        guard i >= 1 else { return .hold }
        let f0 = fastValues[i - 1], s0 = slowValues[i - 1], f1 = fastValues[i], s1 = slowValues[i]
        if f0 < s0 && f1 > s1 { return .buy }
        if f0 > s0 && f1 < s1 { return .sell }
        return .hold
    }
}

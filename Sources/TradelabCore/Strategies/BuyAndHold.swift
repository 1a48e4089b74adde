/// The baseline: buy once on the first bar (filled at the second bar's open) and hold to the end.
public struct BuyAndHold: Strategy {
    /// Creates the strategy.
    public init() {}

    /// "buy-and-hold".
    public var name: String { "buy-and-hold" }
    /// No warm-up.
    public var warmup: Int { 0 }
    /// Nothing to precompute.
    public mutating func prepare(bars: BarSeries) throws {}

    /// Buy while flat and never sell.
    public func onBar(_ context: StrategyContext) -> Action {
        context.position == 0 && context.openTrades == 0 ? .buy : .hold
    }
}

/// Everything a backtest produced: trades, equity curve, order log, and what it ran on.
public struct BacktestResult: Sendable {
    /// Name of the strategy, with its parameters, e.g. "sma-cross(fast=10, slow=20)".
    public var strategy: String
    /// The account settings used.
    public var config: AccountConfig
    /// Closed trades in exit order, then trades still open at the end (``Trade/isOpen``).
    public var trades: [Trade]
    /// Equity, cash and position at each bar.
    public var equity: EquityCurve
    /// Every order: filled, rejected or cancelled.
    public var orders: [OrderLogEntry]
    /// Close prices of the bars, for buy-and-hold and exposure figures.
    public var closes: [Double]
    /// Index of the first bar on which the strategy could act (after indicator warm-up).
    public var firstTradableIndex: Int

    /// Creates a result.
    public init(strategy: String, config: AccountConfig, trades: [Trade], equity: EquityCurve,
                orders: [OrderLogEntry], closes: [Double], firstTradableIndex: Int) {
        self.strategy = strategy
        self.config = config
        self.trades = trades
        self.equity = equity
        self.orders = orders
        self.closes = closes
        self.firstTradableIndex = firstTradableIndex
    }

    /// Trades that were closed.
    public var closedTrades: [Trade] { trades.filter { !$0.isOpen } }
    /// Trades still open at the end.
    public var openTrades: [Trade] { trades.filter(\.isOpen) }
    /// Equity after the last bar.
    public var finalEquity: Double { equity.equity.last ?? config.initialCash }
}

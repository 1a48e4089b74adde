import TradelabCore

/// Where a run's bars came from, for summaries and reports.
public struct DataInfo: Sendable, Codable, Equatable {
    /// The file (or dataset) name.
    public var source: String
    /// Timeframe of the bars, when known.
    public var timeframe: String?
    /// Number of bars.
    public var bars: Int
    /// First bar time, ISO 8601 UTC.
    public var from: String
    /// Last bar time, ISO 8601 UTC.
    public var to: String

    /// Creates a description field by field.
    public init(source: String, timeframe: String?, bars: Int, from: String, to: String) {
        self.source = source
        self.timeframe = timeframe
        self.bars = bars
        self.from = from
        self.to = to
    }

    /// Describes `bars` loaded from `source`.
    public init(source: String, timeframe: Timeframe?, bars: BarSeries) {
        self.source = source
        self.timeframe = timeframe?.rawValue
        self.bars = bars.count
        from = bars.timestamps.first.map { UTCTime.format($0) } ?? ""
        to = bars.timestamps.last.map { UTCTime.format($0) } ?? ""
    }
}

/// The content of `summary.json` for one backtest (also what `tradelab backtest --json` prints).
public struct RunSummary<Metrics: Encodable & Sendable>: Encodable, Sendable {
    /// Tradelab version that produced it.
    public var tradelab: String
    /// Strategy name with parameters.
    public var strategy: String
    /// The data it ran on.
    public var data: DataInfo
    /// Account and execution settings.
    public var account: AccountConfig
    /// Performance metrics.
    public var metrics: Metrics
    /// Closed and open trade counts.
    public var closedTrades: Int
    /// Trades still open at the end.
    public var openTrades: Int
    /// Orders rejected by the broker (e.g. insufficient funds).
    public var rejectedOrders: Int
    /// Every trade, when requested (the `--json` output); omitted from summary.json, see trades.csv.
    public var trades: [Trade]?

    /// Summarizes a result.
    public init(version: String, result: BacktestResult, data: DataInfo, metrics: Metrics, includeTrades: Bool) {
        tradelab = version
        strategy = result.strategy
        self.data = data
        account = result.config
        self.metrics = metrics
        closedTrades = result.trades.filter { !$0.isOpen }.count
        openTrades = result.trades.count - closedTrades
        rejectedOrders = result.orders.filter { $0.status == .rejected }.count
        trades = includeTrades ? result.trades : nil
    }
}

import TradelabCore
import TradelabData

/// Everything a run produced, in the one encoding every surface uses: `tradelab backtest --json`,
/// `summary.json` and `results.json`, the worker's `finished` event, `GET /api/backtest/:id/results`
/// and the Python package.
///
/// Heavy parts are optional so that one type serves every view: ``summary`` drops curves, trades
/// and runs; ``view(maxPoints:tradesLimit:)`` thins curves and pages trades.
public struct RunResults: Sendable, Codable, Equatable {
    /// Tradelab version that produced it.
    public var tradelab: String
    /// Session id (runs of the server).
    public var id: String?
    /// `completed` or `stopped`.
    public var status: RunStatus
    /// Strategy name with parameters.
    public var strategy: String
    /// The resolved parameters.
    public var parameters: [String: Double]
    /// The indicators the strategy declared, as canonical specs (`sma:10`, `macd:12,26,9`), in
    /// declaration order: what the report draws by default.
    public var indicators: [String]?
    /// The bars (the whole data set for randomized runs).
    public var data: DataInfo
    /// Account and execution settings.
    public var account: AccountConfig
    /// The run's metrics (single runs).
    public var metrics: PerformanceMetrics?
    /// The windows' aggregate (randomized runs).
    public var randomized: RandomizedAggregate?
    /// Closed trades over all runs.
    public var closedTrades: Int
    /// Trades still open at the end, over all runs.
    public var openTrades: Int
    /// Orders the broker rejected (e.g. insufficient funds), over all runs.
    public var rejectedOrders: Int
    /// Where the time went.
    public var timings: RunTimings
    /// The first run's equity curve (absent in summaries).
    public var equity: Curve?
    /// Trades of every run in run order, from the first; all of them, or the first
    /// ``view(maxPoints:tradesLimit:)`` kept (absent in summaries).
    public var trades: [TradeRow]?
    /// Number of trades over all runs (``trades`` may hold fewer).
    public var tradesTotal: Int
    /// One row per run (absent in summaries).
    public var runs: [RunRow]?
    /// The comparison, when one was asked for.
    public var baseline: Baseline?
    /// Files that can be downloaded from `/artifacts/` (server runs and `--out`).
    public var artifacts: [String]?

    /// Creates results.
    public init(tradelab: String = TradelabVersion.current, id: String? = nil, status: RunStatus, strategy: String,
                parameters: [String: Double], indicators: [String]? = nil, data: DataInfo, account: AccountConfig, metrics: PerformanceMetrics?,
                randomized: RandomizedAggregate?, closedTrades: Int, openTrades: Int, rejectedOrders: Int, timings: RunTimings,
                equity: Curve?, trades: [TradeRow]?, tradesTotal: Int, runs: [RunRow]?, baseline: Baseline?, artifacts: [String]? = nil) {
        self.tradelab = tradelab
        self.id = id
        self.status = status
        self.strategy = strategy
        self.parameters = parameters
        self.indicators = indicators
        self.data = data
        self.account = account
        self.metrics = metrics
        self.randomized = randomized
        self.closedTrades = closedTrades
        self.openTrades = openTrades
        self.rejectedOrders = rejectedOrders
        self.timings = timings
        self.equity = equity
        self.trades = trades
        self.tradesTotal = tradesTotal
        self.runs = runs
        self.baseline = baseline
        self.artifacts = artifacts
    }

    /// The headline only: no curves, trades or runs (the summary of session lists and `summary.json`).
    public var summary: RunResults {
        var copy = self
        copy.equity = nil
        copy.trades = nil
        copy.runs = nil
        copy.baseline?.equity = nil
        copy.baseline?.runs = nil
        return copy
    }

    /// The results with every curve thinned to `maxPoints` (nil keeps them whole) and the
    /// first `tradesLimit` trades (nil keeps them all).
    public func view(maxPoints: Int?, tradesLimit: Int?) -> RunResults {
        var copy = self
        if let tradesLimit, let trades, trades.count > tradesLimit { copy.trades = Array(trades.prefix(max(0, tradesLimit))) }
        guard let maxPoints else { return copy }
        copy.equity = equity?.downsampled(to: maxPoints)
        copy.runs = runs?.map { Self.thin($0, maxPoints) }
        copy.baseline?.equity = baseline?.equity?.downsampled(to: maxPoints)
        copy.baseline?.runs = baseline?.runs?.map { Self.thin($0, maxPoints) }
        return copy
    }

    private static func thin(_ row: RunRow, _ maxPoints: Int) -> RunRow {
        var row = row
        row.equity = row.equity?.downsampled(to: maxPoints)
        return row
    }
}

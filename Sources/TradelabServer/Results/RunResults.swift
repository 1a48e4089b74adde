import TradelabCore
import TradelabData

/// Everything a finished (or stopped) backtest produced, as served by `GET /api/backtest/:id/results`
/// and stored as `results.json` beside the other artifacts.
public struct RunResults: Sendable, Codable, Equatable {
    /// One trade, with its run number and ISO 8601 times.
    public struct TradeRow: Sendable, Codable, Equatable {
        /// 1-based run number.
        public var run: Int
        /// `long` or `short`.
        public var side: String
        /// Units held.
        public var quantity: Double
        /// Bar index of the entry within its run.
        public var entryIndex: Int
        /// Entry time, ISO 8601 UTC.
        public var entryTime: String
        /// Entry fill price.
        public var entryPrice: Double
        /// Bar index of the exit within its run.
        public var exitIndex: Int
        /// Exit time (the last bar's time for an open trade), ISO 8601 UTC.
        public var exitTime: String
        /// Exit fill price (the last close for an open trade).
        public var exitPrice: Double
        /// Profit or loss in cash, fees included.
        public var pnl: Double
        /// Profit or loss as a fraction of the entry value.
        public var pnlPercent: Double
        /// Commissions paid.
        public var fees: Double
        /// Bars from entry to exit.
        public var barsHeld: Int
        /// Maximum favourable excursion (fraction).
        public var mfe: Double
        /// Maximum adverse excursion (fraction).
        public var mae: Double
        /// `signal`, `stop_loss`, `take_profit`, `end_of_data`, `liquidated` or `open`.
        public var exitReason: String
        /// Stop-loss and take-profit were both inside the exit bar (the stop was assumed).
        public var ambiguous: Bool
        /// Stop-loss level, if one was set.
        public var stopLoss: Double?
        /// Take-profit level, if one was set.
        public var takeProfit: Double?

        /// The row of `trade` from run `run`.
        public init(_ trade: Trade, run: Int) {
            self.run = run
            side = trade.side.rawValue
            quantity = trade.quantity
            entryIndex = trade.entryIndex
            entryTime = UTCTime.format(trade.entryTime)
            entryPrice = trade.entryPrice
            exitIndex = trade.exitIndex
            exitTime = UTCTime.format(trade.exitTime)
            exitPrice = trade.exitPrice
            pnl = trade.pnl
            pnlPercent = trade.pnlPercent
            fees = trade.fees
            barsHeld = trade.barsHeld
            mfe = trade.mfe
            mae = trade.mae
            exitReason = trade.exitReason.rawValue
            ambiguous = trade.ambiguous
            stopLoss = trade.stopLoss
            takeProfit = trade.takeProfit
        }
    }

    /// One run (the only one, or a randomized window).
    public struct RunRow: Sendable, Codable, Equatable {
        /// 1-based run number.
        public var run: Int
        /// First bar time, ISO 8601 UTC.
        public var from: String
        /// Last bar time, ISO 8601 UTC.
        public var to: String
        /// Bars in the run.
        public var bars: Int
        /// Final equity over initial cash, minus 1.
        public var totalReturn: Double
        /// Deepest drawdown (fraction, <= 0).
        public var maxDrawdown: Double
        /// Trades (closed and open).
        public var trades: Int
        /// Share of closed trades that made money (nil without closed trades).
        public var winRate: Double?
        /// The run's equity, thinned for overlays.
        public var equity: Curve
    }

    /// The curve to compare with.
    public struct Baseline: Sendable, Codable, Equatable {
        /// `buy-and-hold`, or the compared run's strategy and id.
        public var name: String
        /// Its total return (the mean over windows for randomized runs).
        public var totalReturn: Double
        /// Its equity over the first run's bars.
        public var equity: Curve
        /// Per-run returns (randomized runs).
        public var runs: [RunRow]
    }

    /// Session id.
    public var id: String
    /// `completed` or `stopped`.
    public var status: String
    /// Strategy name with parameters.
    public var strategy: String
    /// The data set.
    public var data: DataInfo
    /// Account settings.
    public var account: AccountConfig
    /// `summary.json`'s content: metrics (one run) or the randomized aggregate.
    public var summary: JSONValue
    /// The first run's equity curve, whole.
    public var equity: Curve
    /// Every trade of every run.
    public var trades: [TradeRow]
    /// One row per run.
    public var runs: [RunRow]
    /// The comparison, when one was asked for.
    public var baseline: Baseline?
    /// Files that can be downloaded from `/artifacts/`.
    public var artifacts: [String]

    /// The same results with every curve thinned to `maxPoints` (nil keeps them whole).
    public func downsampled(to maxPoints: Int?) -> RunResults {
        guard let maxPoints else { return self }
        var copy = self
        copy.equity = equity.downsampled(to: maxPoints)
        copy.runs = runs.map { var r = $0; r.equity = r.equity.downsampled(to: maxPoints); return r }
        if var b = baseline {
            b.equity = b.equity.downsampled(to: maxPoints)
            b.runs = b.runs.map { var r = $0; r.equity = r.equity.downsampled(to: maxPoints); return r }
            copy.baseline = b
        }
        return copy
    }
}

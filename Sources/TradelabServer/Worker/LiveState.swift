/// The live state of a running backtest, as sent in `backtest_state_update` messages.
public struct LiveState: Sendable, Codable, Equatable {
    /// An order decision, newest last.
    public struct Signal: Sendable, Codable, Equatable {
        /// Bar time, ISO 8601 UTC.
        public var time: String
        /// What was decided (`buy`, `sell`, `close`, `stop_loss`, ...).
        public var action: String
        /// `long` / `short` / `buy` / `sell` as logged by the broker.
        public var side: String
        /// Fill price (nil when not filled).
        public var price: Double?
        /// `filled`, `rejected` or `cancelled`.
        public var status: String
        /// Run number (randomized tests).
        public var run: Int
    }

    /// A closed trade, newest last.
    public struct RecentTrade: Sendable, Codable, Equatable {
        /// Run number.
        public var run: Int
        /// `long` or `short`.
        public var side: String
        /// Entry time, ISO 8601 UTC.
        public var entryTime: String
        /// Exit time, ISO 8601 UTC.
        public var exitTime: String
        /// Entry price.
        public var entryPrice: Double
        /// Exit price.
        public var exitPrice: Double
        /// Profit or loss in cash.
        public var pnl: Double
        /// Profit or loss as a fraction of the entry value.
        public var pnlPercent: Double
        /// Why it ended.
        public var exitReason: String
    }

    /// One point of the equity curve so far.
    public struct EquityPoint: Sendable, Codable, Equatable {
        /// UTC seconds.
        public var time: Int64
        /// Equity.
        public var value: Double
    }

    /// Running totals.
    public struct Metrics: Sendable, Codable, Equatable {
        /// Closed trades so far.
        public var totalTrades: Int
        /// Closed trades with a positive P&L.
        public var winningTrades: Int
        /// Closed trades with a negative P&L.
        public var losingTrades: Int
        /// Winning share of closed trades (0 when none).
        public var winRate: Double
        /// Sum of closed trades' P&L.
        public var totalPnl: Double
        /// The current run's equity so far, thinned to at most 120 points (60 to 120 once long).
        public var equityCurve: [EquityPoint]
    }

    /// Session status: `running`, `paused`, `completed`, `stopped`, `failed`.
    public var status: String
    /// Time of the last processed bar, ISO 8601 UTC (nil before the first).
    public var currentTime: String?
    /// Bars processed over all runs.
    public var currentCandleIndex: Int
    /// Bars to process over all runs.
    public var totalCandles: Int
    /// Progress, 0...100.
    public var progressPercent: Double
    /// Current run's equity.
    public var currentCapital: Double
    /// Current run's highest equity so far.
    public var peakCapital: Double
    /// Current run's drawdown from its peak (a fraction, <= 0).
    public var drawdown: Double
    /// Trades open now.
    public var openTrades: Int
    /// The latest order decisions.
    public var recentSignals: [Signal]
    /// The latest closed trades.
    public var recentTrades: [RecentTrade]
    /// Running totals.
    public var metrics: Metrics
    /// Current run (1-based) and number of runs.
    public var run: Int
    /// Number of runs.
    public var runs: Int
}

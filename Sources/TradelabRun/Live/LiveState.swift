/// The live state of a running backtest: the worker's `state` events and the WebSocket's
/// `backtest_state_update` messages.
public struct LiveState: Sendable, Codable, Equatable {
    /// One point of the equity curve so far.
    public struct EquityPoint: Sendable, Codable, Equatable {
        /// UTC seconds.
        public var time: Int64
        /// Equity.
        public var value: Double

        /// Creates a point.
        public init(time: Int64, value: Double) {
            self.time = time
            self.value = value
        }
    }

    /// Running totals over every run so far.
    public struct Metrics: Sendable, Codable, Equatable {
        /// Closed trades.
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

        /// Creates totals.
        public init(totalTrades: Int = 0, winningTrades: Int = 0, losingTrades: Int = 0, winRate: Double = 0, totalPnl: Double = 0,
                    equityCurve: [EquityPoint] = []) {
            self.totalTrades = totalTrades
            self.winningTrades = winningTrades
            self.losingTrades = losingTrades
            self.winRate = winRate
            self.totalPnl = totalPnl
            self.equityCurve = equityCurve
        }
    }

    /// Bars processed over all runs.
    public var currentCandleIndex: Int
    /// Time of the last processed bar, ISO 8601 UTC (absent before the first).
    public var currentTime: String?
    /// Session status: `running`, `pausing`, `paused`, `stopping`, `completed`, `stopped`, `failed`.
    public var status: String
    /// Bars to process over all runs.
    public var totalCandles: Int
    /// Progress, 0...100.
    public var progressPercent: Double
    /// Current run's equity.
    public var currentCapital: Double
    /// Current run's highest equity so far.
    public var peakCapital: Double
    /// Current run's drawdown from its peak now (a fraction, <= 0).
    public var drawdown: Double
    /// Current run's deepest drawdown so far (a fraction, <= 0).
    public var maxDrawdown: Double
    /// Current run's P&L of closed trades.
    public var realizedPnl: Double
    /// Current run's P&L of open trades at the last close (equity - initial cash - realized).
    public var unrealizedPnl: Double
    /// Trades open now.
    public var openTrades: Int
    /// The latest orders (at most 10), newest last.
    public var recentSignals: [OrderRow]
    /// The latest closed trades (at most 10), newest last.
    public var recentTrades: [TradeRow]
    /// Running totals.
    public var metrics: Metrics
    /// Current run (1-based; 0 before the first).
    public var run: Int
    /// Number of runs.
    public var runs: Int

    /// Creates a state.
    public init(currentCandleIndex: Int = 0, currentTime: String? = nil, status: String, totalCandles: Int = 0, progressPercent: Double = 0,
                currentCapital: Double = 0, peakCapital: Double = 0, drawdown: Double = 0, maxDrawdown: Double = 0, realizedPnl: Double = 0,
                unrealizedPnl: Double = 0, openTrades: Int = 0, recentSignals: [OrderRow] = [], recentTrades: [TradeRow] = [],
                metrics: Metrics = Metrics(), run: Int = 0, runs: Int = 0) {
        self.currentCandleIndex = currentCandleIndex
        self.currentTime = currentTime
        self.status = status
        self.totalCandles = totalCandles
        self.progressPercent = progressPercent
        self.currentCapital = currentCapital
        self.peakCapital = peakCapital
        self.drawdown = drawdown
        self.maxDrawdown = maxDrawdown
        self.realizedPnl = realizedPnl
        self.unrealizedPnl = unrealizedPnl
        self.openTrades = openTrades
        self.recentSignals = recentSignals
        self.recentTrades = recentTrades
        self.metrics = metrics
        self.run = run
        self.runs = runs
    }
}

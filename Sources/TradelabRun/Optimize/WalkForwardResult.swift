import TradelabCore

/// How a walk-forward test is cut: `folds` windows, the in-sample share of each, rolling or anchored.
public struct WalkForwardOptions: Sendable, Equatable, Codable {
    /// Number of folds.
    public var folds: Int
    /// In-sample share of a fold, strictly between 0 and 1.
    public var inSample: Double
    /// Every in-sample window starts at the first bar.
    public var anchored: Bool

    /// Creates options.
    public init(folds: Int, inSample: Double = 0.7, anchored: Bool = false) {
        self.folds = folds
        self.inSample = inSample
        self.anchored = anchored
    }
}

/// A walk-forward test: in each fold the search on the in-sample window, its best parameters
/// backtested on the out-of-sample window after it, and the out-of-sample windows stitched.
public struct WalkForwardResult: Sendable, Equatable, Codable {
    /// Bars of a window: first and last bar time (UTC milliseconds) and count.
    public struct Span: Sendable, Equatable, Codable {
        public var start: Int64
        public var end: Int64
        public var bars: Int
    }

    /// One fold.
    public struct Window: Sendable, Equatable, Codable {
        /// 1 for the first.
        public var fold: Int
        /// The window optimized on.
        public var inSample: Span
        /// The window the best parameters were tested on.
        public var outOfSample: Span
        /// Trials run in-sample.
        public var trials: Int
        /// The in-sample best's parameters (nil when no trial counted: nothing was tested).
        public var params: [String: Double]?
        /// The objective of the in-sample best, and out of sample.
        public var inSampleObjective: Double?
        public var outOfSampleObjective: Double?
        /// The in-sample best's metrics, and those of its out-of-sample backtest.
        public var inSampleMetrics: PerformanceMetrics?
        public var outOfSampleMetrics: PerformanceMetrics?
        /// Why nothing was tested, or why the out-of-sample backtest failed.
        public var note: String?
    }

    /// The options.
    public var options: WalkForwardOptions
    /// The folds in time order.
    public var windows: [Window]
    /// Walk-forward efficiency: the mean annualized return out of sample over the mean
    /// annualized return of the in-sample bests (nil unless the latter is positive).
    public var efficiency: Double?
    /// Metrics of the stitched out-of-sample run: each window's equity scaled to start where
    /// the previous ended, with every window's trades (their P&L in the window's own terms).
    public var outOfSample: PerformanceMetrics?
    /// The stitched out-of-sample equity (at most 2,000 points).
    public var equity: Curve?
}

extension WalkForwardResult.Span {
    /// The span of a window's bars (not empty).
    init(_ bars: BarSeries) {
        self.init(start: bars.timestamps[0], end: bars.timestamps[bars.count - 1], bars: bars.count)
    }
}

/// The out-of-sample runs of a walk-forward test joined into one: each run's equity, cash and
/// position scaled so that it starts where the previous one ended.
struct StitchedRun {
    let initialCash: Double
    private var level: Double
    private var timestamps: [Int64] = [], equity: [Double] = [], cash: [Double] = [], position: [Double] = []
    private var closes: [Double] = []
    private var trades: [Trade] = []

    init(initialCash: Double) {
        self.initialCash = initialCash
        level = initialCash
    }

    /// Appends the next window's run.
    mutating func append(_ run: BacktestResult) {
        let scale = level / initialCash, curve = run.equity
        timestamps += curve.timestamps
        equity += curve.equity.map { $0 * scale }
        cash += curve.cash.map { $0 * scale }
        position += curve.position.map { $0 * scale }
        closes += run.closes
        trades += run.trades
        level = equity.last ?? level
    }

    /// The joined run (nil when no window was appended).
    func result(config: AccountConfig) -> BacktestResult? {
        guard !timestamps.isEmpty else { return nil }
        return BacktestResult(strategy: "walk-forward", config: config, trades: trades,
                              equity: EquityCurve(timestamps: timestamps, equity: equity, cash: cash, position: position),
                              orders: [], closes: closes, firstTradableIndex: 0)
    }
}

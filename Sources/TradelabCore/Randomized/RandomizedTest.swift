/// Randomized testing: the same strategy on N windows of a fixed duration at random start points.
///
/// Windows are drawn with a seeded generator, so the same seed always gives the same windows and
/// results. Each window is an independent backtest (fresh account, fresh strategy copy); runs
/// execute concurrently and are reported in window order.
///
/// ```swift
/// let test = RandomizedTest(runs: 50, duration: try TimeSpan(parsing: "7d"), seed: 42)
/// let report = try await test.run(SmaCross(), on: bars, config: AccountConfig())
/// print(report.meanReturn, report.profitableShare)
/// ```
public struct RandomizedTest: Sendable {
    /// Number of windows.
    public var runs: Int
    /// Length of each window.
    public var duration: TimeSpan
    /// Seed of the window draw.
    public var seed: UInt64

    /// Creates a randomized test.
    public init(runs: Int, duration: TimeSpan, seed: UInt64 = 42) {
        self.runs = runs
        self.duration = duration
        self.seed = seed
    }

    /// Draws the windows: for each run, a start bar chosen uniformly among the bars from which a
    /// full `duration` still fits in the data, and the bars in `[start time, start time + duration)`.
    /// - Throws: ``ConfigError`` when `runs < 1` or the duration does not fit in the data.
    public func windows(in bars: BarSeries) throws(ConfigError) -> [Range<Int>] {
        guard runs >= 1, runs <= 100_000 else {
            throw ConfigError(parameter: "runs", value: String(runs), allowed: "a number of runs from 1 to 100000")
        }
        guard let first = bars.timestamps.first, let last = bars.timestamps.last else {
            throw ConfigError(parameter: "duration", value: duration.description, allowed: "a duration within the data, but the data is empty")
        }
        let step = bars.count > 1 ? (last - first) / Int64(bars.count - 1) : 0
        let end = last + max(step, 1)                                   // the data covers [first, end)
        let latestStart = bars.firstIndex(atOrAfter: end - duration.milliseconds + 1) - 1
        guard latestStart >= 0, bars.timestamps[0] + duration.milliseconds <= end else {
            let span = TimeSpan(milliseconds: end - first)
            throw ConfigError(parameter: "duration", value: duration.description,
                              allowed: "a duration no longer than the data (\(span))")
        }
        var generator = SplitMix64(seed: seed)
        return (0..<runs).map { _ in
            let start = Int(generator.next() % UInt64(latestStart + 1))
            let stop = bars.firstIndex(atOrAfter: bars.timestamps[start] + duration.milliseconds)
            return start..<max(stop, start + 1)
        }
    }

    /// Runs the strategy on every window, `parallelism` at a time.
    /// - Parameters:
    ///   - strategy: The strategy (each run gets its own copy).
    ///   - bars: The whole data set.
    ///   - config: Account settings for every run.
    ///   - parallelism: Runs executing at once (e.g. the number of cores).
    ///   - progress: Called after each finished run with (finished, total).
    /// - Returns: Per-run outcomes in window order and their aggregate.
    /// - Throws: ``ConfigError`` for bad settings, or the first run's error.
    public func run<S: Strategy>(_ strategy: S, on bars: BarSeries, config: AccountConfig, parallelism: Int = 2,
                                 progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> RandomizedReport {
        try config.validate()
        let windows = try windows(in: bars)
        let backtester = Backtester(config: config)
        var outcomes = [RandomizedRun?](repeating: nil, count: windows.count)
        try await withThrowingTaskGroup(of: (Int, RandomizedRun).self) { group in
            var next = 0
            func launch() {
                let index = next, range = windows[index]
                next += 1
                group.addTask {
                    let result = try backtester.run(strategy, on: bars.slice(range))
                    return (index, RandomizedRun(run: index + 1, range: range, result: result))
                }
            }
            while next < min(max(1, parallelism), windows.count) { launch() }
            var finished = 0
            while let (index, outcome) = try await group.next() {
                outcomes[index] = outcome
                finished += 1
                progress?(finished, windows.count)
                if next < windows.count { launch() }
            }
        }
        return RandomizedReport(runs: outcomes.map { $0! }, seed: seed, duration: duration)
    }
}

/// One window of a randomized test.
public struct RandomizedRun: Sendable {
    /// 1-based run number.
    public var run: Int
    /// Bar positions of the window in the whole data set.
    public var range: Range<Int>
    /// The window's backtest.
    public var result: BacktestResult

    /// Creates a run's outcome.
    public init(run: Int, range: Range<Int>, result: BacktestResult) {
        self.run = run
        self.range = range
        self.result = result
    }

    /// Final equity over initial cash, minus 1.
    public var totalReturn: Double { result.finalEquity / result.config.initialCash - 1 }
    /// Deepest drawdown of the window (a fraction, <= 0).
    public var maxDrawdown: Double { result.equity.drawdown.min() ?? 0 }
}

/// The aggregate of a randomized test.
public struct RandomizedReport: Sendable {
    /// Every run, in window order.
    public var runs: [RandomizedRun]
    /// Seed of the window draw.
    public var seed: UInt64
    /// Window length.
    public var duration: TimeSpan

    /// Creates a report from its runs (in window order).
    public init(runs: [RandomizedRun], seed: UInt64, duration: TimeSpan) {
        self.runs = runs
        self.seed = seed
        self.duration = duration
    }

    /// Mean total return across runs.
    public var meanReturn: Double { returns.reduce(0, +) / Double(max(1, runs.count)) }
    /// Median total return.
    public var medianReturn: Double {
        let sorted = returns.sorted()
        guard !sorted.isEmpty else { return .nan }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
    /// Sample standard deviation of total returns (NaN with fewer than two runs).
    public var returnStandardDeviation: Double {
        guard runs.count > 1 else { return .nan }
        let mean = meanReturn
        return (returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(runs.count - 1)).squareRoot()
    }
    /// Share of runs that ended with a profit.
    public var profitableShare: Double { Double(returns.filter { $0 > 0 }.count) / Double(max(1, runs.count)) }
    /// The run with the highest return.
    public var best: RandomizedRun? { runs.max { $0.totalReturn < $1.totalReturn } }
    /// The run with the lowest return.
    public var worst: RandomizedRun? { runs.min { $0.totalReturn < $1.totalReturn } }
    /// Every trade of every run, tagged with its run number, in run order.
    public var combinedTrades: [(run: Int, trade: Trade)] { runs.flatMap { r in r.result.trades.map { (r.run, $0) } } }

    var returns: [Double] { runs.map(\.totalReturn) }
}

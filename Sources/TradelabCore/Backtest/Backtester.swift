/// Runs strategies over bar series with one set of account settings.
///
/// ```swift
/// let result = try Backtester(config: .backtestingPy(cash: 10_000, commission: 0.002))
///     .run(SmaCross(fast: 10, slow: 20), on: bars)
/// print(result.finalEquity)
/// ```
public struct Backtester: Sendable {
    /// Account and execution settings.
    public var config: AccountConfig

    /// Creates a backtester.
    public init(config: AccountConfig = AccountConfig()) {
        self.config = config
    }

    /// Runs `strategy` over every bar of `bars`.
    /// - Parameters:
    ///   - strategy: The strategy (copied: the caller's value is untouched).
    ///   - bars: The data.
    ///   - progress: Called every `progressInterval` bars with the fraction done; return false to stop early
    ///     (the result then covers the bars processed).
    /// - Returns: Trades, equity curve and order log.
    /// - Throws: ``ConfigError``, ``BacktestError`` or the strategy's preparation error.
    /// - Complexity: O(n) in bars, plus the strategy's own work.
    public func run<S: Strategy>(_ strategy: S, on bars: BarSeries, progressInterval: Int = 1 << 16,
                                 progress: ((Double) -> Bool)? = nil) throws -> BacktestResult {
        try runSession(strategy, on: bars, progressInterval: progressInterval, progress: progress)
    }

    /// Runs a built-in strategy. A concrete overload, so the bar loop is specialized for
    /// ``NativeStrategy`` inside this module (a generic call from another module would run the
    /// unspecialized loop, several times slower).
    public func run(_ strategy: NativeStrategy, on bars: BarSeries, progressInterval: Int = 1 << 16,
                    progress: ((Double) -> Bool)? = nil) throws -> BacktestResult {
        try runSession(strategy, on: bars, progressInterval: progressInterval, progress: progress)
    }

    func runSession<S: Strategy>(_ strategy: S, on bars: BarSeries, progressInterval: Int,
                                 progress: ((Double) -> Bool)?) throws -> BacktestResult {
        var session = try BacktestSession(strategy: strategy, bars: bars, config: config)
        if let progress {
            while !session.isFinished {
                session.advance(by: max(1, progressInterval))
                if !progress(session.progress) { break }
            }
        } else {
            session.advance(by: bars.count)
        }
        if let failure = session.failure { throw failure }
        return session.result()
    }
}

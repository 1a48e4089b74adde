extension Backtester {
    /// Runs `strategy` over every bar of `bars` and returns only its metrics: the same numbers as
    /// `run(strategy, on: bars).metrics(options:)`, without keeping the equity, cash and position
    /// columns (the equity curve's figures are accumulated in the bar loop), the order log or the
    /// trades' excursions. What an optimizer trial needs.
    ///
    /// ```swift
    /// let m = try Backtester(config: .backtestingPy(cash: 10_000, commission: 0.002))
    ///     .metrics(of: NativeStrategy.smaCross(SmaCross(fast: 10, slow: 30)), on: bars)
    /// ```
    /// - Parameter options: Valid metrics options (``MetricsOptions/validate()``).
    /// - Throws: ``ConfigError``, ``BacktestError``, or the strategy's error (from `prepare`, or
    ///   its ``Strategy/failure`` during the run).
    /// - Complexity: O(n) in bars plus the strategy's own work; memory O(trades + months).
    public func metrics<S: Strategy>(of strategy: S, on bars: BarSeries, options: MetricsOptions = .init()) throws -> PerformanceMetrics {
        try measure(strategy, on: bars, options: options, blocks: nil).metrics
    }

    /// The metrics, and the per-bar returns summed in `blocks` blocks (for cross-validation).
    public func metrics<S: Strategy>(of strategy: S, on bars: BarSeries, options: MetricsOptions = .init(),
                                     blocks: Int) throws -> (metrics: PerformanceMetrics, blocks: ReturnBlocks) {
        let (m, b) = try measure(strategy, on: bars, options: options, blocks: blocks)
        return (m, b!)
    }

    /// A built-in strategy's metrics: a concrete overload, so the bar loop is specialized here
    /// (see ``run(_:on:progressInterval:progress:)-(NativeStrategy,_,_,_)``).
    public func metrics(of strategy: NativeStrategy, on bars: BarSeries, options: MetricsOptions = .init()) throws -> PerformanceMetrics {
        try measure(strategy, on: bars, options: options, blocks: nil).metrics
    }

    /// A built-in strategy's metrics and return blocks (the specialized loop).
    public func metrics(of strategy: NativeStrategy, on bars: BarSeries, options: MetricsOptions = .init(),
                        blocks: Int) throws -> (metrics: PerformanceMetrics, blocks: ReturnBlocks) {
        let (m, b) = try measure(strategy, on: bars, options: options, blocks: blocks)
        return (m, b!)
    }

    func measure<S: Strategy>(_ strategy: S, on bars: BarSeries, options: MetricsOptions,
                              blocks: Int?) throws -> (metrics: PerformanceMetrics, blocks: ReturnBlocks?) {
        var (strategy, broker, context) = try BacktestSession<S>.start(strategy, bars: bars, config: config, metricsOnly: true)
        let periodsPerYear = options.periodsPerYear ?? MetricsOptions.observedPeriodsPerYear(bars.timestamps)
        var start = EquityStatistics(initialCash: config.initialCash, periodsPerYear: periodsPerYear, riskFreeRate: options.riskFreeRate)
        start.blocks = blocks.map { ReturnBlocks(count: $0, bars: bars.count) }
        let statistics = bars.timestamps.withUnsafeBufferPointer { timestamps in
            var recorder = StatisticsRecorder(statistics: start, timestamps: timestamps)
            _ = BacktestSession<S>.replay(0..<bars.count, closes: bars.close, closeAtEnd: config.closeAtEnd, strategy: &strategy,
                                          broker: &broker, context: &context, recorder: &recorder)
            return recorder.statistics
        }
        if let failure = strategy.failure { throw failure }
        let last = statistics.count - 1
        let m = PerformanceMetrics.compute(statistics, periodsPerYear: periodsPerYear,
                                           trades: broker.closedTrades + broker.openTradesMarked(at: last), closes: bars.close,
                                           firstTradableIndex: min(strategy.warmup, last), options: options)
        var blocks = statistics.blocks
        blocks?.flush()
        return (m, blocks)
    }
}

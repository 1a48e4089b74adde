import TradelabCore

/// The aggregate of a randomized test's windows.
public struct RandomizedAggregate: Sendable, Codable, Equatable {
    /// Windows run (those cut short by a stop are left out).
    public var runs: Int
    /// Window length, e.g. "7d".
    public var duration: String
    /// Seed of the window draw.
    public var seed: UInt64
    /// Mean of the windows' total returns.
    public var meanReturn: Double
    /// Median of the windows' total returns.
    public var medianReturn: Double
    /// Sample standard deviation of the returns (absent with one window).
    public var returnStandardDeviation: Double?
    /// Share of windows with a positive return.
    public var profitableShare: Double
    /// The window with the highest return, and that return.
    public var bestRun: Int?
    /// The best window's return.
    public var bestReturn: Double?
    /// The window with the lowest return.
    public var worstRun: Int?
    /// The worst window's return.
    public var worstReturn: Double?
    /// Mean of the windows' maximum drawdowns (fractions, <= 0).
    public var meanMaxDrawdown: Double
    /// The deepest drawdown of any window.
    public var worstMaxDrawdown: Double
    /// Mean Sharpe ratio of the windows that have one.
    public var meanSharpeRatio: Double?
    /// Trades across all windows.
    public var totalTrades: Int

    /// Aggregates a report's windows with their metrics (in window order).
    public init(_ report: RandomizedReport, metrics: [PerformanceMetrics]) {
        runs = report.runs.count
        duration = report.duration.description
        seed = report.seed
        meanReturn = report.meanReturn
        medianReturn = report.medianReturn
        let sd = report.returnStandardDeviation
        returnStandardDeviation = sd.isNaN ? nil : sd
        profitableShare = report.profitableShare
        bestRun = report.best?.run
        bestReturn = report.best?.totalReturn
        worstRun = report.worst?.run
        worstReturn = report.worst?.totalReturn
        let drawdowns = metrics.map(\.maxDrawdown)
        meanMaxDrawdown = drawdowns.reduce(0, +) / Double(max(1, drawdowns.count))
        worstMaxDrawdown = drawdowns.min() ?? 0
        let sharpes = metrics.compactMap(\.sharpeRatio)
        meanSharpeRatio = sharpes.isEmpty ? nil : sharpes.reduce(0, +) / Double(sharpes.count)
        totalTrades = report.runs.reduce(0) { $0 + $1.result.trades.count }
    }
}

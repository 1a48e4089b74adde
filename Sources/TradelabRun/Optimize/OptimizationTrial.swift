import TradelabCore

/// One trial of an optimization: a full backtest with these parameters and the account of the
/// job (the same numbers as `tradelab backtest` with them).
public struct OptimizationTrial: Sendable, Equatable, Codable {
    /// 1 for the first evaluated.
    public var trial: Int
    /// The searched parameters' values.
    public var params: [String: Double]
    /// The objective's value; nil when it is undefined, the trial failed or missed the filter.
    public var objective: Double?
    /// Final equity.
    public var finalEquity: Double?
    /// Closed trades.
    public var closedTrades: Int?
    /// The run's metrics (nil when it failed).
    public var metrics: PerformanceMetrics?
    /// Why the trial does not count: the script's error, or the filter it missed.
    public var rejected: String?

    /// Creates a trial.
    public init(trial: Int, params: [String: Double], objective: Double?, finalEquity: Double?, closedTrades: Int?,
                metrics: PerformanceMetrics?, rejected: String?) {
        self.trial = trial
        self.params = params
        self.objective = objective
        self.finalEquity = finalEquity
        self.closedTrades = closedTrades
        self.metrics = metrics
        self.rejected = rejected
    }
}

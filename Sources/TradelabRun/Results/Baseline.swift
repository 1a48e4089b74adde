/// What a run is compared with (see ``BaselineReference``).
public struct Baseline: Sendable, Codable, Equatable {
    /// `buy-and-hold`, the compared run's strategy, or the optimization's model with its
    /// parameters (`sma-cross(fast=10, slow=40)`).
    public var name: String
    /// The compared run's id (run baselines).
    public var runId: String?
    /// The optimization whose best trial is compared (optimization baselines).
    public var optimizationId: String?
    /// Its total return after the same fees and fills (the mean over windows for randomized runs).
    public var totalReturn: Double
    /// Its equity over the first run's bars (absent in summaries).
    public var equity: Curve?
    /// Buy-and-hold per randomized window (absent for single runs and in summaries).
    public var runs: [RunRow]?

    /// Creates a baseline.
    public init(name: String, runId: String? = nil, optimizationId: String? = nil, totalReturn: Double, equity: Curve?, runs: [RunRow]? = nil) {
        self.name = name
        self.runId = runId
        self.optimizationId = optimizationId
        self.totalReturn = totalReturn
        self.equity = equity
        self.runs = runs
    }
}

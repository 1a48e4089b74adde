/// Where a run's time went, in milliseconds.
public struct RunTimings: Sendable, Codable, Equatable {
    /// Loading the bars (reading, parsing, resampling, cutting).
    public var loadMs: Double
    /// Preparing the strategy: the sandbox, the script's `on_init` and the indicators computed
    /// over all bars (summed over randomized windows).
    public var indicatorsMs: Double
    /// The bar loop (summed over randomized windows).
    public var engineMs: Double
    /// The whole run from the job to its results, before artifacts are written (wall clock).
    public var totalMs: Double

    /// Creates timings.
    public init(loadMs: Double = 0, indicatorsMs: Double = 0, engineMs: Double = 0, totalMs: Double = 0) {
        self.loadMs = loadMs
        self.indicatorsMs = indicatorsMs
        self.engineMs = engineMs
        self.totalMs = totalMs
    }
}

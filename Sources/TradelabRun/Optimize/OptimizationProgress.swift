import TradelabCore

/// How far an optimization has come: what the CLI's progress bar, the worker's `progress` events
/// and the WebSocket's `optimization_update` messages show.
public struct OptimizationProgress: Sendable, Equatable, Codable {
    /// What is running: the search, then the walk-forward folds.
    public enum Phase: String, Sendable, Codable {
        case search
        case walkForward = "walk-forward"
    }

    /// The current phase.
    public var phase: Phase
    /// Trials done (over every phase).
    public var done: Int
    /// Trials known so far (a genetic search adds each generation as it is bred).
    public var total: Int
    /// The best trial of the search so far (the one that counts, highest objective).
    public var best: OptimizationTrial?
    /// Genetic searches: best and mean objective of each generation finished.
    public var generations: [ParameterSearch.Generation]?

    /// Creates a progress report.
    public init(phase: Phase, done: Int, total: Int, best: OptimizationTrial? = nil, generations: [ParameterSearch.Generation]? = nil) {
        self.phase = phase
        self.done = done
        self.total = total
        self.best = best
        self.generations = generations
    }
}

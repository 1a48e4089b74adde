import TradelabCore

/// The one typed description of an optimization: the backtest every trial runs (strategy, data,
/// account, limits; its parameters are the fixed ones), the space searched, how, for what, and
/// which trials count.
///
/// ```swift
/// let space = try ParameterSpace(ranges: [try .init(parsing: "fast=5:50:5"), try .init(parsing: "slow=20:200:20")])
/// let job = OptimizationJob(base: RunJob(strategy: .builtin("sma-cross"), data: query), space: space)
/// let results = try Optimizer(job: job).run()
/// print(results.best?.params ?? [:])
/// ```
public struct OptimizationJob: Sendable, Equatable, Codable {
    /// The backtest of each trial; `base.parameters` are the parameters not searched.
    public var base: RunJob
    /// The parameters searched.
    public var space: ParameterSpace
    /// How combinations are picked.
    public var method: SearchMethod
    /// What is maximized.
    public var objective: Objective
    /// Which trials count.
    public var filter: TrialFilter
    /// Seed of the random and genetic searches, and of the Monte Carlo draws.
    public var seed: UInt64
    /// A walk-forward test after the search, if asked for.
    public var walkForward: WalkForwardOptions?
    /// Monte Carlo paths on the best trial's trades (per method), if asked for.
    public var monteCarlo: Int?

    /// Most Monte Carlo paths.
    public static let maximumMonteCarlo = 100_000

    /// Creates a job.
    public init(base: RunJob, space: ParameterSpace, method: SearchMethod = .grid, objective: Objective = .sharpe,
                filter: TrialFilter = TrialFilter(), seed: UInt64 = 42, walkForward: WalkForwardOptions? = nil, monteCarlo: Int? = nil) {
        self.base = base
        self.space = space
        self.method = method
        self.objective = objective
        self.filter = filter
        self.seed = seed
        self.walkForward = walkForward
        self.monteCarlo = monteCarlo
    }

    /// The search this job describes.
    public var search: ParameterSearch { ParameterSearch(space: space, method: method, seed: seed, fixed: base.parameters) }

    /// Checks everything that needs no data: the backtest's settings, the search's size, and that
    /// every searched parameter is one the strategy declares, within its declared range.
    /// - Throws: ``RunFailure`` `invalid_job` naming the problem.
    public func validate() throws(RunFailure) {
        guard base.randomized == nil, base.baseline == nil else {
            throw RunFailure(.invalidJob, "an optimization runs single backtests: no randomized windows, no baseline")
        }
        try base.validate()
        do {
            try search.validate()
            if let walkForward { try WalkForwardPlan.validate(folds: walkForward.folds, inSample: walkForward.inSample) }
        } catch { throw RunFailure(.invalidJob, error.message) }
        if let monteCarlo, !(1...Self.maximumMonteCarlo).contains(monteCarlo) {
            throw RunFailure(.invalidJob, "--monte-carlo takes 1 to \(Self.maximumMonteCarlo) paths, was \(monteCarlo)")
        }
        for range in space.ranges {
            for value in [range.values.min()!, range.values.max()!] {
                var params = base.parameters
                params[range.name] = value
                do { try base.strategy.check(parameters: params) } catch {
                    let reason = if case .parameters(let message) = error { message } else { error.description }
                    throw RunFailure(.invalidJob, "--param-range \(range.name): \(reason)")
                }
            }
        }
    }
}

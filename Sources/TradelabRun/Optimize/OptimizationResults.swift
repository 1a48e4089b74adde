import TradelabCore

/// What an optimization produced, in the one encoding of `tradelab optimize --json` and
/// `summary.json`: every trial in evaluation order, the best, and how much the search tried.
public struct OptimizationResults: Sendable, Equatable, Codable {
    /// How much a "best" was selected from: the first line of defence against selection luck.
    public struct Guards: Sendable, Equatable, Codable {
        /// Trials run.
        public var trials: Int
        /// Trials that failed or missed the filter.
        public var rejected: Int
        /// Combinations in the space (before constraints).
        public var combinations: Int
        /// The best trial's deflated Sharpe ratio given every trial's Sharpe ratio (nil when it
        /// cannot be computed: fewer than 2 trials with a Sharpe ratio, or a best without one).
        public var deflatedSharpe: DeflatedSharpe?
        /// The probability of backtest overfitting of the trials that count, by combinatorially
        /// symmetric cross-validation of their per-bar Sharpe ratios (nil with fewer than 2).
        public var overfitting: OverfittingProbability?
        /// The objective around the best trial's parameters (nil without a best).
        public var stability: ParameterStability?
    }

    /// Tradelab version.
    public var tradelab: String
    /// `grid`, `random` or `genetic`.
    public var method: String
    /// The objective's name.
    public var objective: String
    /// Strategy name (without parameters).
    public var strategy: String
    /// The bars.
    public var data: DataInfo
    /// Every trial, in evaluation order.
    public var trials: [OptimizationTrial]
    /// The trial with the highest objective among those that count.
    public var best: OptimizationTrial?
    /// Trials tried and rejected.
    public var guards: Guards
    /// Genetic searches: best and mean objective per generation.
    public var generations: [ParameterSearch.Generation]?
    /// Genetic searches: stopped because the best stopped improving.
    public var stoppedEarly: Bool?
    /// The walk-forward test, when the job asked for one.
    public var walkForward: WalkForwardResult?
    /// Monte Carlo resampling of the best trial's trades, when the job asked for it.
    public var monteCarlo: MonteCarlo.Result?
    /// Stopped before the end.
    public var cancelled: Bool
    /// Where the time went: `loadMs` (bars), `engineMs` (every trial), `totalMs`.
    public var timings: RunTimings

    /// The trials that count, best first.
    public var ranked: [OptimizationTrial] { Self.ranked(trials) }

    /// `trials` that have an objective, highest first (the earlier trial first on a tie).
    public static func ranked(_ trials: [OptimizationTrial]) -> [OptimizationTrial] {
        trials.filter { $0.objective != nil }.sorted { ($0.objective!, -$0.trial) > ($1.objective!, -$1.trial) }
    }
}

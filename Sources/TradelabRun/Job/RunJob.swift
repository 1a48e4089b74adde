import TradelabCore
import TradelabData

/// The one typed description of a backtest: which strategy with which parameters, on which bars,
/// with which account, once or on randomized windows, compared with what, within which limits.
///
/// Decoded once where it enters (CLI flags, an HTTP body, a worker's standard input) and typed
/// everywhere after; ``JobRunner`` runs it.
///
/// ```swift
/// let job = RunJob(strategy: .builtin("sma-cross"), parameters: ["fast": 10, "slow": 30],
///                  data: BarQuery(file: "data/BTCUSDT_1m.csv", timeframe: "1h"))
/// let outcome = try JobRunner(job: job).run()
/// print(outcome.results.metrics?.totalReturn ?? 0)
/// ```
public struct RunJob: Sendable, Equatable, Codable {
    /// The strategy.
    public var strategy: StrategyReference
    /// Strategy parameters (declared `@param`s for Lua, the catalog's for built-ins).
    public var parameters: [String: Double]
    /// The bars.
    public var data: BarQuery
    /// Account and execution settings.
    public var account: AccountConfig
    /// Randomized windows instead of one run over all bars, when set.
    public var randomized: RandomizedWindows?
    /// What to compare with, when set.
    public var baseline: BaselineReference?
    /// Sandbox limits.
    public var limits: RunLimits
    /// Risk-free rate and annualization of the metrics.
    public var metrics: MetricsOptions

    /// Creates a job.
    public init(strategy: StrategyReference, parameters: [String: Double] = [:], data: BarQuery, account: AccountConfig = AccountConfig(),
                randomized: RandomizedWindows? = nil, baseline: BaselineReference? = nil, limits: RunLimits = RunLimits(),
                metrics: MetricsOptions = MetricsOptions()) {
        self.strategy = strategy
        self.parameters = parameters
        self.data = data
        self.account = account
        self.randomized = randomized
        self.baseline = baseline
        self.limits = limits
        self.metrics = metrics
    }

    /// The symbol scripts see as `ctx.symbol`: the catalog symbol, or the one in the file name.
    public var symbol: String { data.symbol?.uppercased() ?? DataCatalog.nameParts(data.sourceName).symbol }

    /// Checks the settings that need no data: account, metrics options, windows and limits.
    /// - Throws: ``RunFailure`` `invalid_job` naming the setting.
    public func validate() throws(RunFailure) {
        do {
            try account.validate()
            try metrics.validate()
        } catch {
            throw RunFailure(.invalidJob, error.description)
        }
        if let randomized, !(1...100_000).contains(randomized.runs) {
            throw RunFailure(.invalidJob, "randomized runs must be from 1 to 100000, was \(randomized.runs)")
        }
        guard limits.luaMemoryMiB >= 1, limits.timeLimit > 0, limits.timeLimit.isFinite else {
            throw RunFailure(.invalidJob, "the Lua memory limit (\(limits.luaMemoryMiB) MiB) and time limit (\(limits.timeLimit) s) must be positive")
        }
    }
}

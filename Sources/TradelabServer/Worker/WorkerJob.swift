import TradelabCore
import TradelabData

/// What a `tradelab worker` process runs: the first line of its standard input, as JSON.
/// Everything is resolved by the server beforehand (strategy text, data query, account), so the
/// worker needs nothing else. The protocol is in `docs/worker-protocol.md`.
public struct WorkerJob: Sendable, Codable, Equatable {
    /// The strategy: a built-in by name, or Lua text.
    public struct StrategySource: Sendable, Codable, Equatable {
        /// Built-in name (`sma-cross`) or the script's file name (`sma_cross.lua`).
        public var name: String
        /// Lua text; nil for a built-in strategy.
        public var code: String?

        /// Creates a strategy source.
        public init(name: String, code: String? = nil) {
            self.name = name
            self.code = code
        }
    }

    /// Randomized testing settings.
    public struct Randomized: Sendable, Codable, Equatable {
        /// Number of windows.
        public var runs: Int
        /// Window length (`7d`).
        public var duration: String
        /// Seed of the window draw.
        public var seed: UInt64

        /// Creates the settings.
        public init(runs: Int, duration: String, seed: UInt64) {
            self.runs = runs
            self.duration = duration
            self.seed = seed
        }
    }

    /// Session id (names the artifacts).
    public var id: String
    /// The strategy.
    public var strategy: StrategySource
    /// Strategy parameters.
    public var parameters: [String: Double]
    /// The bars.
    public var data: BarQuery
    /// Account and execution settings.
    public var account: AccountConfig
    /// Randomized windows instead of one run, when set.
    public var randomized: Randomized?
    /// Also run buy-and-hold on the same bars (or windows) as a baseline.
    public var buyAndHoldBaseline: Bool
    /// Bars between live state events (>= 1).
    public var stateEvery: Int
    /// Least time between two intermediate state events, in seconds (nil or 0: every
    /// `stateEvery` bars). States are for people watching; a few dozen a second is plenty.
    public var stateInterval: Double?
    /// Where the artifacts go (created if needed).
    public var outputDirectory: String
    /// Lua memory cap in MiB.
    public var luaMemoryMiB: Int
    /// Lua wall-clock limit per run, in seconds.
    public var luaTimeLimit: Double

    /// Creates a job.
    public init(id: String, strategy: StrategySource, parameters: [String: Double] = [:], data: BarQuery, account: AccountConfig = AccountConfig(),
                randomized: Randomized? = nil, buyAndHoldBaseline: Bool = false, stateEvery: Int = 10, stateInterval: Double? = nil,
                outputDirectory: String,
                luaMemoryMiB: Int = 64, luaTimeLimit: Double = 600) {
        self.id = id
        self.strategy = strategy
        self.parameters = parameters
        self.data = data
        self.account = account
        self.randomized = randomized
        self.buyAndHoldBaseline = buyAndHoldBaseline
        self.stateEvery = stateEvery
        self.stateInterval = stateInterval
        self.outputDirectory = outputDirectory
        self.luaMemoryMiB = luaMemoryMiB
        self.luaTimeLimit = luaTimeLimit
    }
}

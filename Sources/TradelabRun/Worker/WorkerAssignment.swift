/// What a `tradelab worker` process runs: the first line of its standard input, as JSON.
/// Everything is resolved beforehand (strategy text, data query, account), so the worker needs
/// nothing else. The protocol is in `docs/worker-protocol.md`.
public struct WorkerAssignment: Sendable, Equatable, Codable {
    /// What the worker runs.
    public enum Work: Sendable, Equatable {
        /// One backtest (or randomized windows): the `job` member.
        case backtest(RunJob)
        /// A parameter search: the `optimization` member.
        case optimization(OptimizationJob)
    }

    /// Session or optimization id (names the results).
    public var id: String
    /// The work.
    public var work: Work
    /// Where the artifacts go (created if needed).
    public var outputDirectory: String
    /// Bars between live state events (>= 1); backtests only.
    public var stateEvery: Int
    /// Least time between two intermediate state (or optimization progress) events, in seconds
    /// (nil or 0: every `stateEvery` bars, or every trial). States are for people watching; a few
    /// dozen a second is plenty.
    public var stateInterval: Double?

    /// Creates a backtest assignment.
    public init(id: String, job: RunJob, outputDirectory: String, stateEvery: Int = 10, stateInterval: Double? = nil) {
        self.init(id: id, work: .backtest(job), outputDirectory: outputDirectory, stateEvery: stateEvery, stateInterval: stateInterval)
    }

    /// Creates an assignment.
    public init(id: String, work: Work, outputDirectory: String, stateEvery: Int = 10, stateInterval: Double? = nil) {
        self.id = id
        self.work = work
        self.outputDirectory = outputDirectory
        self.stateEvery = stateEvery
        self.stateInterval = stateInterval
    }

    /// The backtest run: the job itself, or each trial's base backtest of an optimization.
    public var job: RunJob {
        switch work {
        case .backtest(let job): job
        case .optimization(let optimization): optimization.base
        }
    }

    private enum CodingKeys: String, CodingKey { case id, job, optimization, outputDirectory, stateEvery, stateInterval }

    /// Reads an assignment: exactly one of `job` and `optimization`.
    /// - Throws: `DecodingError` when both or neither are present.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        switch (try c.decodeIfPresent(RunJob.self, forKey: .job), try c.decodeIfPresent(OptimizationJob.self, forKey: .optimization)) {
        case (let job?, nil): work = .backtest(job)
        case (nil, let optimization?): work = .optimization(optimization)
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: [CodingKeys.job], debugDescription: "give exactly one of 'job' and 'optimization'"))
        }
        outputDirectory = try c.decode(String.self, forKey: .outputDirectory)
        stateEvery = try c.decode(Int.self, forKey: .stateEvery)
        stateInterval = try c.decodeIfPresent(Double.self, forKey: .stateInterval)
    }

    /// Writes the assignment, its work as `job` or `optimization`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        switch work {
        case .backtest(let job): try c.encode(job, forKey: .job)
        case .optimization(let optimization): try c.encode(optimization, forKey: .optimization)
        }
        try c.encode(outputDirectory, forKey: .outputDirectory)
        try c.encode(stateEvery, forKey: .stateEvery)
        try c.encodeIfPresent(stateInterval, forKey: .stateInterval)
    }
}

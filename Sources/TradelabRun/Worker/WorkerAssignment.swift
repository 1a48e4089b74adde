/// What a `tradelab worker` process runs: the first line of its standard input, as JSON.
/// Everything is resolved beforehand (strategy text, data query, account), so the worker needs
/// nothing else. The protocol is in `docs/worker-protocol.md`.
public struct WorkerAssignment: Sendable, Equatable, Codable {
    /// Session id (names the results).
    public var id: String
    /// The run.
    public var job: RunJob
    /// Where the artifacts go (created if needed).
    public var outputDirectory: String
    /// Bars between live state events (>= 1).
    public var stateEvery: Int
    /// Least time between two intermediate state events, in seconds (nil or 0: every
    /// `stateEvery` bars). States are for people watching; a few dozen a second is plenty.
    public var stateInterval: Double?

    /// Creates an assignment.
    public init(id: String, job: RunJob, outputDirectory: String, stateEvery: Int = 10, stateInterval: Double? = nil) {
        self.id = id
        self.job = job
        self.outputDirectory = outputDirectory
        self.stateEvery = stateEvery
        self.stateInterval = stateInterval
    }
}

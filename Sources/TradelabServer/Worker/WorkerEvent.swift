/// One line a worker writes to its standard output (JSON). See `docs/worker-protocol.md`.
public struct WorkerEvent: Sendable, Codable, Equatable {
    /// The kinds of event, in the order a run produces them.
    public enum Kind: String, Sendable, Codable {
        /// The data is loaded and the strategy prepared: `totalCandles`, `runs`.
        case started
        /// Live state every `stateEvery` bars: `state`.
        case state
        /// The worker paused (after a `pause` line) or resumed.
        case paused, resumed
        /// The run ended (`status` completed or stopped) and its artifacts are written: `summary`.
        case finished
        /// The run failed: `code`, `message`.
        case error
    }

    /// The event's kind.
    public var type: Kind
    /// `started`: bars to process over all runs.
    public var totalCandles: Int?
    /// `started`: number of runs (1, or the randomized windows).
    public var runs: Int?
    /// `state`: the live state.
    public var state: LiveState?
    /// `finished`: `completed` or `stopped`.
    public var status: String?
    /// `finished`: the summary of the results (metrics, or the randomized aggregate).
    public var summary: JSONValue?
    /// `error`: a stable code (`invalid_job`, `data_error`, `strategy_error`, `internal`).
    public var code: String?
    /// `error`: what went wrong, with the script line where there is one.
    public var message: String?

    /// Creates an event.
    public init(type: Kind, totalCandles: Int? = nil, runs: Int? = nil, state: LiveState? = nil, status: String? = nil,
                summary: JSONValue? = nil, code: String? = nil, message: String? = nil) {
        self.type = type
        self.totalCandles = totalCandles
        self.runs = runs
        self.state = state
        self.status = status
        self.summary = summary
        self.code = code
        self.message = message
    }
}

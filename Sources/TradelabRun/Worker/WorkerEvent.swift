/// One line a worker writes to its standard output, as JSON with a `type` member
/// (`{"type":"started","totalCandles":720,"runs":1}`). See `docs/worker-protocol.md`.
public enum WorkerEvent: Sendable, Equatable, Codable {
    /// The data is loaded and the windows drawn: bars over all runs, number of runs.
    case started(totalCandles: Int, runs: Int)
    /// Live state every `stateEvery` bars (or less often with `stateInterval`), and once at the end.
    case state(LiveState)
    /// A `pause` took effect.
    case paused(LiveState)
    /// A `resume` took effect.
    case resumed
    /// An optimization's progress: after trials, at most every `stateInterval` seconds, and once
    /// at the end (its best then is the search's best).
    case progress(OptimizationProgress)
    /// The run ended and its artifacts are written: the results' summary (absent when no bar was
    /// processed, and for an optimization, whose last `progress` carries its best).
    case finished(status: RunStatus, summary: RunResults?)
    /// The run failed: a stable code and a message.
    case error(code: String, message: String)

    /// The `type` member.
    public enum Kind: String, Sendable, Codable {
        case started, state, paused, resumed, progress, finished, error
    }

    /// The event's kind.
    public var kind: Kind {
        switch self {
        case .started: .started
        case .state: .state
        case .paused: .paused
        case .resumed: .resumed
        case .progress: .progress
        case .finished: .finished
        case .error: .error
        }
    }

    /// An `error` event for a failure.
    public init(_ failure: RunFailure) { self = .error(code: failure.code.rawValue, message: failure.message) }

    private enum CodingKeys: String, CodingKey { case type, totalCandles, runs, state, progress, status, summary, code, message }

    /// Reads an event.
    /// - Throws: `DecodingError` for an unknown type or a missing member.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(Kind.self, forKey: .type) {
        case .started: self = .started(totalCandles: try c.decode(Int.self, forKey: .totalCandles), runs: try c.decode(Int.self, forKey: .runs))
        case .state: self = .state(try c.decode(LiveState.self, forKey: .state))
        case .paused: self = .paused(try c.decode(LiveState.self, forKey: .state))
        case .resumed: self = .resumed
        case .progress: self = .progress(try c.decode(OptimizationProgress.self, forKey: .progress))
        case .finished: self = .finished(status: try c.decode(RunStatus.self, forKey: .status),
                                         summary: try c.decodeIfPresent(RunResults.self, forKey: .summary))
        case .error: self = .error(code: try c.decode(String.self, forKey: .code), message: try c.decode(String.self, forKey: .message))
        }
    }

    /// Writes the event, `type` first.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .type)
        switch self {
        case .started(let totalCandles, let runs):
            try c.encode(totalCandles, forKey: .totalCandles)
            try c.encode(runs, forKey: .runs)
        case .state(let state), .paused(let state):
            try c.encode(state, forKey: .state)
        case .resumed:
            break
        case .progress(let progress):
            try c.encode(progress, forKey: .progress)
        case .finished(let status, let summary):
            try c.encode(status, forKey: .status)
            try c.encodeIfPresent(summary, forKey: .summary)
        case .error(let code, let message):
            try c.encode(code, forKey: .code)
            try c.encode(message, forKey: .message)
        }
    }

    /// The event as one JSON line, with its newline.
    public func jsonLine() throws -> [UInt8] {
        var bytes = try CompactJSONEncoder.encode(self)
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }
}

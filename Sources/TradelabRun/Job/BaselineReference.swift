/// What a run is compared with: buy-and-hold on the same bars, a previous run on the same data,
/// or the model an optimization found. Encoded as `{"kind":"buy-and-hold"}`,
/// `{"kind":"run","id":"bt_..."}` or `{"kind":"optimization","id":"op_...","strategy":{...},
/// "parameters":{...}}`.
public enum BaselineReference: Sendable, Equatable, Codable {
    /// Buy-and-hold on the same bars (each randomized window's own bars).
    case buyAndHold
    /// A previous single run's results, attached by the server when results are read.
    case run(id: String)
    /// The best trial of optimization `id`: `strategy` with `parameters`, run on the same bars
    /// (each randomized window's own) with this run's account: the tuned model beside the run.
    case optimization(id: String, strategy: StrategyReference, parameters: [String: Double])

    private enum CodingKeys: String, CodingKey { case kind, id, strategy, parameters }

    /// Reads the tagged form.
    /// - Throws: `DecodingError` for an unknown kind.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "buy-and-hold": self = .buyAndHold
        case "run": self = .run(id: try c.decode(String.self, forKey: .id))
        case "optimization":
            self = .optimization(id: try c.decode(String.self, forKey: .id), strategy: try c.decode(StrategyReference.self, forKey: .strategy),
                                 parameters: try c.decode([String: Double].self, forKey: .parameters))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown baseline kind '\(other)': buy-and-hold, run or optimization")
        }
    }

    /// Writes the tagged form.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .buyAndHold:
            try c.encode("buy-and-hold", forKey: .kind)
        case .run(let id):
            try c.encode("run", forKey: .kind)
            try c.encode(id, forKey: .id)
        case .optimization(let id, let strategy, let parameters):
            try c.encode("optimization", forKey: .kind)
            try c.encode(id, forKey: .id)
            try c.encode(strategy, forKey: .strategy)
            try c.encode(parameters, forKey: .parameters)
        }
    }
}

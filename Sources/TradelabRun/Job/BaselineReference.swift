/// What a run is compared with: buy-and-hold on the same bars, or a previous run on the same
/// data. Encoded as `{"kind":"buy-and-hold"}` or `{"kind":"run","id":"bt_..."}`.
public enum BaselineReference: Sendable, Equatable, Codable {
    /// Buy-and-hold on the same bars (each randomized window's own bars).
    case buyAndHold
    /// A previous single run's results, attached by the server when results are read.
    case run(id: String)

    private enum CodingKeys: String, CodingKey { case kind, id }

    /// Reads the tagged form.
    /// - Throws: `DecodingError` for an unknown kind.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "buy-and-hold": self = .buyAndHold
        case "run": self = .run(id: try c.decode(String.self, forKey: .id))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown baseline kind '\(other)': buy-and-hold or run")
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
        }
    }
}

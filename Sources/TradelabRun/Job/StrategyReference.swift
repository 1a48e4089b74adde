import TradelabCore

/// Which strategy a run uses: a built-in by name, a Lua file, or Lua text.
///
/// Encoded as `{"kind":"builtin","name":"sma-cross"}`, `{"kind":"file","path":"x.lua"}` or
/// `{"kind":"lua","name":"x.lua","code":"..."}`.
public enum StrategyReference: Sendable, Equatable, Codable {
    /// A strategy of ``NativeStrategy/catalog``.
    case builtin(String)
    /// A `.lua` file, read when the run starts.
    case file(String)
    /// Lua text, with the file name used in messages (`sma_cross.lua`).
    case lua(name: String, code: String)

    /// The one rule for names: a name of ``NativeStrategy/catalog`` is a built-in; anything else
    /// is a script, which `script` turns into a reference (a file path for the CLI, the saved
    /// strategy's text for the server).
    /// - Throws: whatever `script` throws for a name it cannot resolve.
    public static func named<E: Error>(_ name: String, script: (String) throws(E) -> StrategyReference) throws(E) -> StrategyReference {
        if let info = NativeStrategy.catalog.first(where: { $0.name == name.lowercased() }) { return .builtin(info.name) }
        return try script(name)
    }

    /// Whether the strategy is a Lua script (file or text).
    public var isLua: Bool {
        if case .builtin = self { return false }
        return true
    }

    /// The name shown before the run resolves its parameters: `sma-cross`, `sma_cross.lua`.
    public var displayName: String {
        switch self {
        case .builtin(let name): name
        case .file(let path): path.split(separator: "/").last.map(String.init) ?? path
        case .lua(let name, _): name
        }
    }

    private enum CodingKeys: String, CodingKey { case kind, name, path, code }

    /// Reads the tagged form.
    /// - Throws: `DecodingError` for an unknown kind or a missing member.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "builtin": self = .builtin(try c.decode(String.self, forKey: .name))
        case "file": self = .file(try c.decode(String.self, forKey: .path))
        case "lua": self = .lua(name: try c.decode(String.self, forKey: .name), code: try c.decode(String.self, forKey: .code))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown strategy kind '\(other)': builtin, file or lua")
        }
    }

    /// Writes the tagged form.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .builtin(let name):
            try c.encode("builtin", forKey: .kind)
            try c.encode(name, forKey: .name)
        case .file(let path):
            try c.encode("file", forKey: .kind)
            try c.encode(path, forKey: .path)
        case .lua(let name, let code):
            try c.encode("lua", forKey: .kind)
            try c.encode(name, forKey: .name)
            try c.encode(code, forKey: .code)
        }
    }
}

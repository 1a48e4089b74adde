/// A failure of a Lua script: what kind, the message, and the script line when known.
public struct LuaError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: String, Sendable, Codable {
        /// The script does not compile.
        case syntax
        /// A runtime error raised by the script or a binding.
        case runtime
        /// The memory limit was reached.
        case memory
        /// The wall-clock deadline passed.
        case timeout
        /// The run was cancelled.
        case cancelled
        /// One call exceeded the instruction budget.
        case instructions
        /// The script breaks the strategy API (e.g. no on_bar, a bad return value).
        case api
    }

    /// The kind of failure.
    public var kind: Kind
    /// Lua's message, usually "file.lua:LINE: what".
    public var message: String
    /// The script line, when the message names one.
    public var line: Int?

    /// Creates an error; the line is read from a "name:LINE:" prefix of `message`.
    public init(_ kind: Kind, _ message: String, chunk: String? = nil) {
        self.kind = kind
        self.message = message
        line = nil
        if let chunk, message.hasPrefix(chunk + ":") {
            let rest = message.dropFirst(chunk.count + 1)
            line = Int(rest.prefix { $0.isNumber })
        }
    }

    /// "sma.lua:12: attempt to compare nil with number", prefixed by the limit for limit errors.
    public var description: String {
        switch kind {
        case .memory: "memory limit exceeded: \(message)"
        default: message
        }
    }
}

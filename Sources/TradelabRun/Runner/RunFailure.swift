import TradelabLua

/// Why a run could not finish, with a stable code (reported by the CLI, the worker's `error`
/// event and the API's failed sessions).
public struct RunFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of failure.
    public enum Code: String, Sendable, Codable {
        /// The job itself is invalid (settings, windows longer than the data, ...).
        case invalidJob = "invalid_job"
        /// The bars cannot be loaded.
        case dataError = "data_error"
        /// The strategy cannot be built or failed while running (with `file.lua:LINE:`).
        case strategyError = "strategy_error"
        /// Anything else (e.g. the artifacts cannot be written).
        case `internal`
    }

    /// The kind.
    public var code: Code
    /// What went wrong, for people.
    public var message: String
    /// What the script printed before it failed (Lua strategies).
    public var log: [LuaLogLine]

    /// Creates a failure.
    public init(_ code: Code, _ message: String, log: [LuaLogLine] = []) {
        self.code = code
        self.message = message
        self.log = log
    }

    /// The message.
    public var description: String { message }
}

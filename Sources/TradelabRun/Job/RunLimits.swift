/// Limits of a run's Lua sandbox (built-in strategies ignore them).
public struct RunLimits: Sendable, Equatable, Codable {
    /// Lua memory cap in MiB.
    public var luaMemoryMiB: Int
    /// Wall-clock limit per run (window) in seconds, pauses excluded.
    public var timeLimit: Double

    /// Creates limits (the defaults of the CLI and the server).
    public init(luaMemoryMiB: Int = 64, timeLimit: Double = 600) {
        self.luaMemoryMiB = luaMemoryMiB
        self.timeLimit = timeLimit
    }
}

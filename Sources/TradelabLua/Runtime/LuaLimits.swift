/// The resource limits of one sandboxed Lua state.
///
/// Memory is capped by the allocator, the wall-clock deadline and cancellation by a watchdog that
/// installs a tripping hook only when needed (a permanent hook would slow the VM about 2.3x), and
/// the optional instruction budget by a count hook armed before each call (it costs that speed).
public struct LuaLimits: Sendable, Equatable {
    /// Maximum bytes the state may allocate (default 64 MiB).
    public var memoryBytes: Int = 64 << 20
    /// Wall-clock time allowed from the state's creation to the end of the run, in seconds (default 600).
    public var timeLimit: Double = 600
    /// Maximum Lua instructions per call (on_init, on_bar, ...); 0 = unlimited (default).
    public var instructionsPerCall: Int = 0
    /// Maximum lines kept from print()/log() (default 10,000).
    public var logLines: Int = 10_000

    /// Default limits.
    public init() {}

    /// Limits with the given values.
    public init(memoryBytes: Int = 64 << 20, timeLimit: Double = 600, instructionsPerCall: Int = 0, logLines: Int = 10_000) {
        self.memoryBytes = memoryBytes
        self.timeLimit = timeLimit
        self.instructionsPerCall = instructionsPerCall
        self.logLines = logLines
    }
}

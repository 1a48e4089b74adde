import ArgumentParser
import TradelabRun

/// The Lua sandbox limits of each run (`backtest`) or each trial (`optimize`).
struct SandboxLimitOptions: ParsableArguments {
    @Option(name: .customLong("memory-limit"), help: ArgumentHelp("Lua strategies: memory cap of each run in MiB (default 64).", valueName: "MiB"))
    var memoryLimit = 64

    @Option(name: .customLong("time-limit"), help: ArgumentHelp("Lua strategies: wall-clock limit of each run in seconds (default 600).", valueName: "s"))
    var timeLimit = 600.0

    func validate() throws {
        guard memoryLimit >= 1, timeLimit > 0 else { throw ValidationError("--memory-limit and --time-limit must be positive") }
    }

    /// The limits of a job.
    var limits: RunLimits { RunLimits(luaMemoryMiB: memoryLimit, timeLimit: timeLimit) }
}

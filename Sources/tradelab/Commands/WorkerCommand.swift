import ArgumentParser
import TradelabRun

/// `tradelab worker`: runs one backtest job for the server, isolated in its own process. The
/// server starts the slimmer `tradelab-worker` executable instead when it sits next to `tradelab`
/// (the same code, without the server and the CLI linked in, so it starts faster).
///
/// Reads the job (one JSON line) from standard input, then `pause` / `resume` / `stop` lines;
/// writes JSON-lines events to standard output. See `docs/worker-protocol.md`.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run one backtest job from standard input (used by tradelab serve).",
        discussion: "Protocol: docs/worker-protocol.md. Input: a JSON job line, then pause/resume/stop lines. Output: JSON-lines events."
    )

    func run() throws {
        let status = WorkerProcessMain.run()
        if status != 0 { throw ExitCode(status) }
    }
}

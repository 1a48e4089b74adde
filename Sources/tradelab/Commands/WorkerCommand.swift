import ArgumentParser
import Foundation
import TradelabServer

/// `tradelab worker`: runs one backtest job for the server, isolated in its own process.
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
        let output = EventWriter()
        guard let line = readLine(strippingNewline: true) else {
            output.emit(WorkerEvent(type: .error, code: "invalid_job", message: "no job on standard input"))
            throw ExitCode(2)
        }
        let job: WorkerJob
        do {
            job = try JSONCoding.decoder().decode(WorkerJob.self, from: Data(line.utf8))
        } catch {
            output.emit(WorkerEvent(type: .error, code: "invalid_job", message: "the job is not valid JSON for a WorkerJob: \(error)"))
            throw ExitCode(2)
        }
        let control = WorkerControl()
        let reader = Thread {
            while let command = readLine(strippingNewline: true) { control.apply(command) }
            control.apply("stop")   // end of input: the server is gone
        }
        reader.start()
        let status = WorkerRunner(job: job, control: control, emit: output.emit).run()
        if status != 0 { throw ExitCode(status) }
    }
}

/// Writes events as JSON lines to standard output, unbuffered.
private struct EventWriter {
    let encoder = JSONCoding.encoder()

    func emit(_ event: WorkerEvent) {
        guard var data = try? encoder.encode(event) else { return }
        data.append(UInt8(ascii: "\n"))
        FileHandle.standardOutput.write(data)
    }
}

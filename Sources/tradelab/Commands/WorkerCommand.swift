import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TradelabRun

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
        // Die with the server: a worker must never outlive its supervisor's limits.
        let parent = getppid()
        Self.dieWithParent()
        if getppid() != parent { throw ExitCode(3) }   // the server died before that took effect
        let output = EventWriter()
        guard let line = readLine(strippingNewline: true) else {
            output.emit(.error(code: RunFailure.Code.invalidJob.rawValue, message: "no job on standard input"))
            throw ExitCode(2)
        }
        let assignment: WorkerAssignment
        do {
            assignment = try JSONCoding.decode(WorkerAssignment.self, from: Data(line.utf8))
        } catch {
            output.emit(.error(code: RunFailure.Code.invalidJob.rawValue, message: "the job is not valid JSON for a WorkerAssignment: \(error)"))
            throw ExitCode(2)
        }
        let control = RunControl()
        let reader = Thread {
            while let text = readLine(strippingNewline: true) {
                if let command = RunControl.Command(rawValue: text.trimmingCharacters(in: .whitespaces)) { control.apply(command) }
            }
            control.apply(.stop)   // end of input: the server is gone
        }
        reader.start()
        let status = WorkerRun(assignment: assignment, control: control, emit: output.emit).run()
        if status != 0 { throw ExitCode(status) }
    }
}

extension WorkerCommand {
    /// `prctl(PR_SET_PDEATHSIG, SIGKILL)`: the kernel kills this process when its parent dies.
    /// (Glibc's module map does not export `sys/prctl.h`, so the symbol is looked up.)
    static func dieWithParent() {
        typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "prctl") else { return }
        let prSetPdeathsig: Int32 = 1
        _ = unsafeBitCast(symbol, to: Prctl.self)(prSetPdeathsig, UInt(SIGKILL), 0, 0, 0)
    }
}

/// Writes events as JSON lines to standard output, unbuffered.
private struct EventWriter: Sendable {
    func emit(_ event: WorkerEvent) {
        guard let line = try? event.jsonLine() else { return }
        line.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(STDOUT_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { if errno == EINTR { continue } else { return } }
                offset += written
            }
        }
    }
}

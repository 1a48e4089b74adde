import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The body of a worker process (`tradelab-worker`, or `tradelab worker`): dies with its parent,
/// reads the ``WorkerAssignment`` line and then control lines from standard input, runs it with
/// ``WorkerRun`` and writes each event as one JSON line to standard output, unbuffered.
/// See `docs/worker-protocol.md`.
public enum WorkerProcessMain {
    /// Runs the process's one assignment.
    /// - Returns: The exit status: 0 after `finished`, 1 after `error`, 2 for a missing or
    ///   unreadable job, 3 when the parent died before the worker could tie its life to it.
    public static func run() -> Int32 {
        // Die with the server: a worker must never outlive its supervisor's limits.
        let parent = getppid()
        dieWithParent()
        if getppid() != parent { return 3 }   // the server died before that took effect
        guard let line = readLine(strippingNewline: true) else {
            emit(.error(code: RunFailure.Code.invalidJob.rawValue, message: "no job on standard input"))
            return 2
        }
        let assignment: WorkerAssignment
        do {
            assignment = try JSONCoding.decode(WorkerAssignment.self, from: Data(line.utf8))
        } catch {
            emit(.error(code: RunFailure.Code.invalidJob.rawValue, message: "the job is not valid JSON for a WorkerAssignment: \(error)"))
            return 2
        }
        let control = RunControl()
        let reader = Thread {
            while let text = readLine(strippingNewline: true) {
                if let command = RunControl.Command(rawValue: text.trimmingCharacters(in: .whitespaces)) { control.apply(command) }
            }
            control.apply(.stop)   // end of input: the server is gone
        }
        reader.start()
        return WorkerRun(assignment: assignment, control: control, emit: emit).run()
    }

    /// `prctl(PR_SET_PDEATHSIG, SIGKILL)`: the kernel kills this process when its parent dies.
    /// (Glibc's module map does not export `sys/prctl.h`, so the symbol is looked up.)
    static func dieWithParent() {
        typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "prctl") else { return }
        let prSetPdeathsig: Int32 = 1
        _ = unsafeBitCast(symbol, to: Prctl.self)(prSetPdeathsig, UInt(SIGKILL), 0, 0, 0)
    }

    /// Writes one event line to standard output with `write(2)`, whole.
    @Sendable static func emit(_ event: WorkerEvent) {
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

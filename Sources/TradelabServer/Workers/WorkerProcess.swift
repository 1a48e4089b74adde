import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TradelabRun

/// One `tradelab worker` child process and its supervision: the assignment goes to its standard
/// input, its JSON-lines events come back in order through ``output``, and a monitor kills it
/// when it runs longer than the time limit (pauses excluded) or its resident memory exceeds the
/// limit.
///
/// A process can be started before its work is known (a warm spare, see ``ProcessWorkerPool``):
/// it waits on its standard input, and the limits count from ``assign(_:limits:)``.
final class WorkerProcess: WorkerHandle, @unchecked Sendable {
    let output: AsyncStream<WorkerOutput>
    private let continuation: AsyncStream<WorkerOutput>.Continuation
    private let process = Process()
    private let input = Pipe(), stdout = Pipe(), stderr = Pipe()
    private let lock = NSLock()
    private var limits: WorkerLimits?
    private var killReason: String?
    private var pausedSince: Date?
    private var pausedTotal: TimeInterval = 0
    private var started = Date()
    private var stderrTail = Data()
    private let exited = DispatchSemaphore(value: 0)

    /// Starts `executable arguments...` (`tradelab worker`), waiting for its assignment.
    /// - Throws: when the process cannot be started.
    init(executable: String, arguments: [String]) throws {
        (output, continuation) = AsyncStream.makeStream(of: WorkerOutput.self)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = stdout
        process.standardError = stderr
        let exited = self.exited
        process.terminationHandler = { _ in exited.signal() }   // prompt, unlike waitUntilExit's polling
        try process.run()
        startReaders()
    }

    /// Whether the process still runs.
    var isRunning: Bool { process.isRunning }

    /// Hands the process its work; the limits count from now.
    func assign(_ assignment: WorkerAssignment, limits: WorkerLimits) throws {
        let line = try JSONCoding.encode(assignment) + Data("\n".utf8)
        lock.withLock {
            self.limits = limits
            started = Date()
        }
        // The job can be larger than a pipe's buffer: write it from a thread so nobody waits for the child.
        let writer = input.fileHandleForWriting
        Thread { try? writer.write(contentsOf: line) }.start()
        startMonitor()
    }

    func markPaused() {
        lock.withLock { if pausedSince == nil { pausedSince = Date() } }
    }

    var pausedSeconds: Double {
        lock.withLock { pausedSince.map { Date().timeIntervalSince($0) } ?? 0 }
    }

    /// Sends a command. The time limit stops counting when the worker reports its pause
    /// (``markPaused()``), not when asked: it may finish a slice first.
    func send(_ command: RunControl.Command) {
        if command == .resume {
            lock.withLock {
                if let since = pausedSince { pausedTotal += Date().timeIntervalSince(since); pausedSince = nil }
            }
        }
        // A worker that already exited closed its end: the write fails (EPIPE, SIGPIPE ignored) and is dropped.
        try? input.fileHandleForWriting.write(contentsOf: Data((command.rawValue + "\n").utf8))
    }

    func kill(reason: String) {
        lock.withLock { if killReason == nil { killReason = reason } }
        if process.isRunning { _ = Glibc.kill(process.processIdentifier, SIGKILL) }
    }

    var runningSeconds: Double {
        lock.withLock {
            let now = Date()
            return now.timeIntervalSince(started) - pausedTotal - (pausedSince.map { now.timeIntervalSince($0) } ?? 0)
        }
    }

    private func startReaders() {
        let errHandle = stderr.fileHandleForReading
        Thread { [self] in
            while true {
                let chunk = errHandle.availableData
                if chunk.isEmpty { break }
                lock.withLock {
                    stderrTail.append(chunk)
                    if stderrTail.count > 4096 { stderrTail = stderrTail.suffix(4096) }
                }
            }
            try? errHandle.close()
        }.start()
        let outHandle = stdout.fileHandleForReading
        Thread { [self] in
            let decoder = JSONCoding.decoder()
            var pending: [UInt8] = []
            while true {
                let chunk = outHandle.availableData
                if chunk.isEmpty { break }
                pending.append(contentsOf: chunk)
                var lines: [[UInt8]] = []
                var start = 0
                while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                    lines.append(Array(pending[start..<newline]))
                    start = newline + 1
                }
                pending.removeFirst(start)
                // Of several intermediate states read at once only the newest matters (live views
                // drop older ones anyway), so a fast worker never waits for the server.
                let states = lines.map(StateLine.init)
                for (k, line) in lines.enumerated() where !(states[k] != nil && k + 1 < lines.count && states[k + 1] != nil) {
                    if let state = states[k] {
                        continuation.yield(.state(state))
                    } else if let event = try? decoder.decode(WorkerEvent.self, from: Data(line)) {
                        continuation.yield(.event(event))
                    } else if !line.isEmpty {
                        continuation.yield(.event(.error(code: "protocol",
                                                         message: "unreadable worker output: \(String(decoding: line.prefix(200), as: UTF8.self))")))
                    }
                }
                if pending.count > 64 << 20 { kill(reason: "the worker wrote a line longer than 64 MiB") }
            }
            try? outHandle.close()
            exited.wait()
            try? input.fileHandleForWriting.close()
            Thread.sleep(forTimeInterval: 0.005)   // let the stderr reader drain
            let exit = lock.withLock {
                WorkerExit(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
                           killReason: killReason, stderrTail: String(decoding: stderrTail, as: UTF8.self))
            }
            continuation.yield(.exited(exit))
            continuation.finish()
        }.start()
    }

    private func startMonitor() {
        let pid = process.processIdentifier
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        Task.detached { [weak self] in
            while let self, self.process.isRunning, let limits = self.lock.withLock({ self.limits }) {
                if self.runningSeconds > limits.seconds {
                    self.kill(reason: "the run exceeded its time limit of \(Self.format(limits.seconds)) s")
                    return
                }
                if let statm = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8),
                   let resident = statm.split(separator: " ").dropFirst().first.flatMap({ Int($0) }),
                   resident * pageSize > limits.memoryBytes {
                    self.kill(reason: "the worker exceeded its memory limit of \(limits.memoryBytes >> 20) MiB (resident \((resident * pageSize) >> 20) MiB)")
                    return
                }
                try? await Task.sleep(nanoseconds: 50_000_000)
            }
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}

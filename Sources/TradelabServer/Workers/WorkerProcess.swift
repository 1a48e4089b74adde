import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One `tradelab worker` child process and its supervision: the job goes to its standard input,
/// its JSON-lines events come back in order through ``output``, and a monitor kills it when it
/// runs longer than the time limit (pauses excluded) or its resident memory exceeds the limit.
final class WorkerProcess: @unchecked Sendable {
    /// What the supervisor hears from a worker.
    enum Output: Sendable {
        /// An event line.
        case event(WorkerEvent)
        /// An intermediate `state` line, passed on without decoding it.
        case state(StateLine)
        /// The process ended (always the last output).
        case exited(Exit)
    }

    /// How a worker ended.
    struct Exit: Sendable {
        /// Exit status or signal number.
        var status: Int32
        /// Whether it was killed by a signal.
        var signaled: Bool
        /// Why the supervisor killed it, if it did.
        var killReason: String?
        /// The end of its standard error.
        var stderrTail: String
    }

    /// An intermediate state as the worker wrote it, with the two fields the server reads.
    struct StateLine: Sendable {
        /// The `state` object's JSON, ready to forward.
        var json: Data
        /// Bars processed over all runs.
        var index: Int
        /// Time of the last processed bar.
        var time: String?

        /// Reads a line `{"state":{"currentCandleIndex":N,...,"currentTime":"T",...},"type":"state"}`
        /// (``WorkerEvent/jsonLine()``'s layout); nil when it has another shape.
        init?(_ line: Data) {
            let prefix = Data(#"{"state":{"currentCandleIndex":"#.utf8), suffix = Data(#","type":"state"}"#.utf8)
            guard line.starts(with: prefix), line.suffix(suffix.count).elementsEqual(suffix) else { return nil }
            let digits = line.dropFirst(prefix.count).prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            guard let index = Int(String(decoding: digits, as: UTF8.self)) else { return nil }
            self.index = index
            json = Data(line.dropFirst(9).dropLast(suffix.count))
            time = line.range(of: Data(#""currentTime":""#.utf8)).flatMap { found in
                let rest = line[found.upperBound...]
                return rest.firstIndex(of: UInt8(ascii: "\"")).map { String(decoding: rest[..<$0], as: UTF8.self) }
            }
        }
    }

    /// Limits enforced on the process.
    struct Limits: Sendable {
        var seconds: Double
        var memoryBytes: Int
    }

    let output: AsyncStream<Output>
    private let continuation: AsyncStream<Output>.Continuation
    private let process = Process()
    private let input = Pipe(), stdout = Pipe(), stderr = Pipe()
    private let limits: Limits
    private let lock = NSLock()
    private var killReason: String?
    private var pausedSince: Date?
    private var pausedTotal: TimeInterval = 0
    private var started = Date()
    private var stderrTail = Data()
    private let exited = DispatchSemaphore(value: 0)

    /// Starts `executable worker` with the job.
    /// - Throws: when the process cannot be started.
    init(executable: String, job: WorkerJob, limits: Limits) throws {
        self.limits = limits
        (output, continuation) = AsyncStream.makeStream(of: Output.self)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["worker"]
        process.standardInput = input
        process.standardOutput = stdout
        process.standardError = stderr
        var line = try JSONCoding.encoder().encode(job)
        line.append(UInt8(ascii: "\n"))
        let exited = self.exited
        process.terminationHandler = { _ in exited.signal() }   // prompt, unlike waitUntilExit's polling
        try process.run()
        started = Date()
        // The job can be larger than a pipe's buffer: write it from a thread so nobody waits for the child.
        let writer = input.fileHandleForWriting
        let job = line
        Thread { try? writer.write(contentsOf: job) }.start()
        startReaders()
        startMonitor()
    }

    /// The worker reported that it paused: the time limit stops counting from now on.
    func markPaused() {
        lock.withLock { if pausedSince == nil { pausedSince = Date() } }
    }

    /// Seconds since the worker reported its pause (0 when it is not paused).
    var pausedSeconds: Double {
        lock.withLock { pausedSince.map { Date().timeIntervalSince($0) } ?? 0 }
    }

    /// Sends `pause`, `resume` or `stop`. The time limit stops counting when the worker reports
    /// its pause (``markPaused()``), not when asked: it may finish a slice first.
    func send(_ command: String) {
        if command == "resume" {
            lock.withLock {
                if let since = pausedSince { pausedTotal += Date().timeIntervalSince(since); pausedSince = nil }
            }
        }
        send(raw: Data((command + "\n").utf8))
    }

    /// Kills the process (SIGKILL), recording why.
    func kill(reason: String) {
        lock.withLock { if killReason == nil { killReason = reason } }
        if process.isRunning { _ = Glibc.kill(process.processIdentifier, SIGKILL) }
    }

    private func send(raw data: Data) {
        // A worker that already exited closed its end: the write fails (EPIPE, SIGPIPE ignored) and is dropped.
        try? input.fileHandleForWriting.write(contentsOf: data)
    }

    /// Seconds spent running so far, pauses excluded.
    var runningSeconds: Double {
        lock.withLock {
            let now = Date()
            return now.timeIntervalSince(started) - pausedTotal - (pausedSince.map { now.timeIntervalSince($0) } ?? 0)
        }
    }

    private func startReaders() {
        let errHandle = stderr.fileHandleForReading
        let errThread = Thread { [self] in
            while true {
                let chunk = errHandle.availableData
                if chunk.isEmpty { break }
                lock.withLock {
                    stderrTail.append(chunk)
                    if stderrTail.count > 4096 { stderrTail = stderrTail.suffix(4096) }
                }
            }
            try? errHandle.close()
        }
        errThread.start()
        let outHandle = stdout.fileHandleForReading
        let outThread = Thread { [self] in
            let decoder = JSONCoding.decoder()
            var pending = Data()
            while true {
                let chunk = outHandle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                var lines: [Data] = []
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    lines.append(pending[pending.startIndex..<newline])
                    pending = pending[(newline + 1)...]
                }
                // Of several intermediate states read at once only the newest matters (live views
                // drop older ones anyway), so a fast worker never waits for the server to decode.
                let states = lines.map(Self.isState)
                for (k, line) in lines.enumerated() where !(states[k] && k + 1 < lines.count && states[k + 1]) {
                    if states[k], let state = StateLine(line) {
                        continuation.yield(.state(state))
                    } else if let event = try? decoder.decode(WorkerEvent.self, from: line) {
                        continuation.yield(.event(event))
                    } else if !line.isEmpty {
                        continuation.yield(.event(WorkerEvent(type: .error, code: "protocol",
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
                Exit(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
                     killReason: killReason, stderrTail: String(decoding: stderrTail, as: UTF8.self))
            }
            continuation.yield(.exited(exit))
            continuation.finish()
        }
        outThread.start()
    }

    /// Whether a line is an intermediate `state` event: the worker encodes keys sorted, so such a
    /// line ends with `"type":"state"}` and carries a running status.
    static func isState(_ line: Data) -> Bool {
        line.count > 200 && line.suffix(16).elementsEqual(#","type":"state"}"#.utf8)
            && line.range(of: Data(#""status":"running""#.utf8)) != nil
    }

    private func startMonitor() {
        let pid = process.processIdentifier
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        Task.detached { [weak self] in
            while let self, self.process.isRunning {
                if self.runningSeconds > self.limits.seconds {
                    self.kill(reason: "the run exceeded its time limit of \(Self.format(self.limits.seconds)) s")
                    return
                }
                if let statm = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8),
                   let resident = statm.split(separator: " ").dropFirst().first.flatMap({ Int($0) }),
                   resident * pageSize > self.limits.memoryBytes {
                    self.kill(reason: "the worker exceeded its memory limit of \(self.limits.memoryBytes >> 20) MiB (resident \((resident * pageSize) >> 20) MiB)")
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

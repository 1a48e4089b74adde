import Foundation
import TradelabRun

/// Workers as `tradelab worker` processes, with a few started ahead of need so a run does not
/// wait for a process to start. A process runs one assignment and exits: a worker that ran
/// untrusted Lua is never reused.
///
/// Every process is started from one long-lived thread: a worker asks the kernel to kill it when
/// its parent *thread* ends (`PR_SET_PDEATHSIG`), so it must not be started from a pool thread
/// that may retire.
final class ProcessWorkerPool: WorkerPool, @unchecked Sendable {
    private let executable: String
    private let arguments: [String]
    private let spares: Int
    private let spawner = SpawnerThread()
    private let lock = NSLock()
    private var ready: [WorkerProcess] = []
    private var closed = false

    /// A pool starting `executable arguments...` (`tradelab worker`), keeping `spares` processes
    /// ready (0: start on demand).
    init(executable: String, arguments: [String] = ["worker"], spares: Int) {
        self.executable = executable
        self.arguments = arguments
        self.spares = max(0, spares)
    }

    func spawn(_ assignment: WorkerAssignment, limits: WorkerLimits) throws -> any WorkerHandle {
        let warm = lock.withLock { () -> WorkerProcess? in
            while let process = ready.popLast() { if process.isRunning { return process } }
            return nil
        }
        let executable = self.executable, arguments = self.arguments
        let process = try warm ?? spawner.run { try WorkerProcess(executable: executable, arguments: arguments) }
        try process.assign(assignment, limits: limits)
        refill()
        return process
    }

    /// Starts spares in the background until `spares` are ready.
    func refill() {
        guard spares > 0 else { return }
        spawner.async { [self] in
            while lock.withLock({ !closed && ready.count < spares }) {
                guard let process = try? WorkerProcess(executable: executable, arguments: arguments) else { return }
                let kept = lock.withLock { () -> Bool in
                    guard !closed, ready.count < spares else { return false }
                    ready.append(process)
                    return true
                }
                if !kept { process.kill(reason: "not needed") }
            }
        }
    }

    func shutdown() {
        let idle = lock.withLock { () -> [WorkerProcess] in
            closed = true
            defer { ready.removeAll() }
            return ready
        }
        for process in idle { process.kill(reason: "the server shut down") }
    }
}

/// A thread that lives as long as the server and runs what it is given, in order.
private final class SpawnerThread: @unchecked Sendable {
    private let lock = NSLock()
    private var jobs: [() -> Void] = []
    private let waiting = DispatchSemaphore(value: 0)

    init() {
        let thread = Thread { [self] in
            while true {
                waiting.wait()
                lock.withLock { jobs.removeFirst() }()
            }
        }
        thread.name = "tradelab.worker-spawner"
        thread.start()
    }

    /// Runs `body` on the thread, later.
    func async(_ body: @escaping () -> Void) {
        lock.withLock { jobs.append(body) }
        waiting.signal()
    }

    /// Runs `body` on the thread and waits for its result.
    func run<T>(_ body: @escaping () throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<T, any Error>?
        async {
            result = Result { try body() }
            done.signal()
        }
        done.wait()
        return try result!.get()
    }
}

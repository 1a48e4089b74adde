import Foundation
import TradelabRun
@testable import TradelabServer

/// A worker pool whose workers run ``WorkerRun`` on a thread of the test process: the session
/// logic is tested without processes. Events take the same road as a real worker's output (encoded
/// to a line, then read as a state line or decoded). With `gated`, each worker stops after every
/// `state` event until the test releases it, so the tests decide when a run moves on.
final class InProcessWorkerPool: WorkerPool, @unchecked Sendable {
    let gated: Bool
    private let lock = NSLock()
    private(set) var spawned: [InProcessWorker] = []

    init(gated: Bool = false) { self.gated = gated }

    func spawn(_ assignment: WorkerAssignment, limits: WorkerLimits) throws -> any WorkerHandle {
        let worker = InProcessWorker(assignment: assignment, gated: gated)
        lock.withLock { spawned.append(worker) }
        worker.start()
        return worker
    }

    func shutdown() { for worker in lock.withLock({ spawned }) { worker.kill(reason: "the server shut down") } }

    /// The worker of session `id`.
    func worker(_ id: String) -> InProcessWorker? { lock.withLock { spawned.last { $0.assignment.id == id } } }
}

/// One in-process worker.
final class InProcessWorker: WorkerHandle, @unchecked Sendable {
    let assignment: WorkerAssignment
    let output: AsyncStream<WorkerOutput>
    private let continuation: AsyncStream<WorkerOutput>.Continuation
    private let control = RunControl()
    private let gated: Bool
    private let gate = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var killReason: String?
    private var pausedSince: Date?
    private var states = 0
    private let started = Date()

    init(assignment: WorkerAssignment, gated: Bool) {
        self.assignment = assignment
        self.gated = gated
        (output, continuation) = AsyncStream.makeStream(of: WorkerOutput.self)
    }

    func start() {
        Thread { [self] in
            let status = WorkerRun(assignment: assignment, control: control) { [self] event in deliver(event) }.run()
            let reason = lock.withLock { killReason }
            continuation.yield(.exited(WorkerExit(status: reason == nil ? status : 9, signaled: reason != nil, killReason: reason, stderrTail: "")))
            continuation.finish()
        }.start()
    }

    /// Lets a gated worker go on past its current state (`count` times).
    func release(_ count: Int = 1) { for _ in 0..<count { gate.signal() } }

    /// State events delivered so far.
    var stateCount: Int { lock.withLock { states } }

    private func deliver(_ event: WorkerEvent) {
        guard lock.withLock({ killReason == nil }), let line = try? event.jsonLine().dropLast() else { return }
        if let state = StateLine(Array(line)) {
            continuation.yield(.state(state))
        } else if let decoded = try? JSONCoding.decode(WorkerEvent.self, from: Data(line)) {
            continuation.yield(.event(decoded))
        }
        if case .state(let state) = event, state.status == "running" {
            lock.withLock { states += 1 }
            if gated { gate.wait() }
        }
    }

    func send(_ command: RunControl.Command) {
        if command == .resume { lock.withLock { pausedSince = nil } }
        control.apply(command)
    }

    func kill(reason: String) {
        lock.withLock { if killReason == nil { killReason = reason } }
        control.apply(.stop)
        release(1_000_000)
    }

    func markPaused() { lock.withLock { if pausedSince == nil { pausedSince = Date() } } }
    var runningSeconds: Double { Date().timeIntervalSince(started) }
    var pausedSeconds: Double { lock.withLock { pausedSince.map { Date().timeIntervalSince($0) } ?? 0 } }
}

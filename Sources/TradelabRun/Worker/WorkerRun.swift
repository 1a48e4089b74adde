import Foundation

/// Runs one ``WorkerAssignment`` inside a `tradelab worker` process through ``JobRunner``:
/// reports progress as events, obeys the control lines, writes the artifacts.
public struct WorkerRun: Sendable {
    /// The assignment.
    public let assignment: WorkerAssignment
    /// Pause/resume/stop requests.
    public let control: RunControl
    /// Receives every event, in order.
    public let emit: @Sendable (WorkerEvent) -> Void

    /// Creates a run.
    public init(assignment: WorkerAssignment, control: RunControl, emit: @escaping @Sendable (WorkerEvent) -> Void) {
        self.assignment = assignment
        self.control = control
        self.emit = emit
    }

    /// Runs the assignment to its end.
    /// - Returns: The process exit status: 0 after `finished`, 1 after `error`.
    public func run() -> Int32 {
        do {
            try execute()
            return 0
        } catch {
            emit(WorkerEvent(error))
            return 1
        }
    }

    private func execute() throws(RunFailure) {
        guard assignment.stateEvery >= 1 else { throw RunFailure(.invalidJob, "stateEvery must be at least 1, was \(assignment.stateEvery)") }
        switch assignment.work {
        case .backtest(let job): try backtest(job)
        case .optimization(let job): try optimize(job)
        }
    }

    private func backtest(_ job: RunJob) throws(RunFailure) {
        let observer = EventObserver(emit: emit, interval: assignment.stateInterval ?? 0)
        let outcome = try JobRunner(job: job, sliceBars: assignment.stateEvery).run(control: control, observer: observer)
        var summary: RunResults?
        if var results = outcome.results {
            results.id = assignment.id
            do {
                summary = try RunArtifacts.write(results, outcome: outcome, to: assignment.outputDirectory).summary
            } catch {
                throw RunFailure(.internal, "cannot write the artifacts: \(error)")
            }
        }
        let status: RunStatus = outcome.results?.status ?? .stopped
        emit(.state(outcome.finalState ?? LiveState(status: status.rawValue)))
        emit(.finished(status: status, summary: summary))
    }

    /// The search on every core, its progress at most every `stateInterval` seconds (0.1 by
    /// default), its files (with `results.json`, the whole results), then the final progress.
    private func optimize(_ job: OptimizationJob) throws(RunFailure) {
        let throttle = ProgressThrottle(interval: assignment.stateInterval ?? 0.1, emit: emit)
        let results = try Optimizer(job: job).run(control: control) { throttle.report($0) }
        do {
            try OptimizationArtifacts.write(results, to: assignment.outputDirectory, whole: true)
        } catch {
            throw RunFailure(.internal, "cannot write the artifacts: \(error)")
        }
        throttle.finish(results)
        emit(.finished(status: results.cancelled ? .stopped : .completed, summary: nil))
    }
}

/// Sends an optimization's progress at most every `interval` seconds, from any thread, and only
/// reports of more trials done than the last one (trials finishing on several threads report out
/// of order); the final report always.
private final class ProgressThrottle: @unchecked Sendable {
    private let interval: UInt64
    private let emit: @Sendable (WorkerEvent) -> Void
    private let lock = NSLock()
    private var sentAt: UInt64 = 0
    /// The report of the most trials so far, sent or not; the last one sent.
    private var latest: OptimizationProgress?, sent: OptimizationProgress?

    init(interval: Double, emit: @escaping @Sendable (WorkerEvent) -> Void) {
        self.interval = UInt64(max(0, interval) * 1e9)
        self.emit = emit
    }

    /// Sends `progress` when it is due; under the lock, so reports leave in the order of their counts.
    func report(_ progress: OptimizationProgress) {
        let now = DispatchTime.now().uptimeNanoseconds
        lock.withLock {
            guard progress.done > latest?.done ?? -1 else { return }
            latest = progress
            guard sentAt == 0 || now - sentAt >= interval else { return }
            sentAt = now
            sent = progress
            emit(.progress(progress))
        }
    }

    /// Sends the final report unless it was the last one sent: the latest counts (the whole count
    /// once complete), the search's best and generations.
    func finish(_ results: OptimizationResults) {
        lock.withLock {
            var last = latest ?? OptimizationProgress(phase: .search, done: 0, total: 0)
            if !results.cancelled { last.total = last.done }
            last.best = results.best
            last.generations = results.generations
            if last != sent { emit(.progress(last)) }
        }
    }
}

/// Turns a run's progress into events; intermediate states at most every `interval` seconds.
/// Called from the one thread running the job.
private final class EventObserver: RunObserver, @unchecked Sendable {
    let emit: @Sendable (WorkerEvent) -> Void
    let interval: Double
    private var lastState = DispatchTime(uptimeNanoseconds: 0)

    init(emit: @escaping @Sendable (WorkerEvent) -> Void, interval: Double) {
        self.emit = emit
        self.interval = interval
    }

    var wantsLiveStates: Bool { true }

    func runStarted(totalBars: Int, runs: Int) { emit(.started(totalCandles: totalBars, runs: runs)) }

    func progressed(done: Int, total: Int, state: () -> LiveState?) {
        let now = DispatchTime.now()
        guard interval <= 0 || Double(now.uptimeNanoseconds - lastState.uptimeNanoseconds) / 1e9 >= interval, let state = state() else { return }
        emit(.state(state))
        lastState = now
    }

    func paused(state: LiveState?) { emit(.paused(state ?? LiveState(status: "paused"))) }

    func resumed() { emit(.resumed) }
}

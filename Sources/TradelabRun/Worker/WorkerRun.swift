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
        let observer = EventObserver(emit: emit, interval: assignment.stateInterval ?? 0)
        let outcome = try JobRunner(job: assignment.job, sliceBars: assignment.stateEvery).run(control: control, observer: observer)
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

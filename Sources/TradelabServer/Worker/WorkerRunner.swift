import Foundation
import TradelabCore
import TradelabData
import TradelabLua

/// Runs one ``WorkerJob`` inside a `tradelab worker` process: loads the bars, runs the strategy
/// (once, or on randomized windows) in slices of `stateEvery` bars, obeys pause/stop between
/// slices, writes the artifacts and reports through `emit`.
public struct WorkerRunner {
    /// The job.
    public let job: WorkerJob
    /// Pause/resume/stop requests.
    public let control: WorkerControl
    /// Receives every event, in order.
    public let emit: (WorkerEvent) -> Void

    /// Creates a runner.
    public init(job: WorkerJob, control: WorkerControl, emit: @escaping (WorkerEvent) -> Void) {
        self.job = job
        self.control = control
        self.emit = emit
    }

    /// Runs the job to its end.
    /// - Returns: The process exit status: 0 after `finished`, 1 after `error`.
    public func run() -> Int32 {
        do {
            try execute()
            return 0
        } catch let failure as WorkerFailure {
            emit(WorkerEvent(type: .error, code: failure.code, message: failure.message))
        } catch {
            emit(WorkerEvent(type: .error, code: "internal", message: "\(error)"))
        }
        return 1
    }

    private func execute() throws {
        guard job.stateEvery >= 1 else { throw WorkerFailure("invalid_job", "stateEvery must be at least 1, was \(job.stateEvery)") }
        let loaded: BarQuery.Loaded
        do { loaded = try job.data.load() } catch { throw WorkerFailure("data_error", "\(error)") }
        let windows: [Range<Int>]
        do {
            if let r = job.randomized {
                windows = try RandomizedTest(runs: r.runs, duration: try TimeSpan(parsing: r.duration), seed: r.seed).windows(in: loaded.bars)
            } else {
                windows = [0..<loaded.bars.count]
            }
            try job.account.validate()
        } catch {
            throw WorkerFailure("invalid_job", "\(error)")
        }
        let run = WindowRun(job: job, bars: loaded.bars, timeframe: loaded.timeframe, windows: windows, control: control, emit: emit)
        do {
            if let code = job.strategy.code {
                let limits = LuaLimits(memoryBytes: job.luaMemoryMiB << 20, timeLimit: job.luaTimeLimit)
                let symbol = job.data.symbol?.uppercased() ?? DataCatalog.nameParts(job.data.sourceName).symbol
                try run.execute(try LuaStrategy(source: code, fileName: job.strategy.name, parameters: job.parameters, limits: limits,
                                                symbol: symbol, timeframe: loaded.timeframe?.rawValue ?? ""))
            } else {
                try run.execute(try NativeStrategy(name: job.strategy.name, parameters: job.parameters))
            }
        } catch let failure as WorkerFailure {
            throw failure
        } catch {
            throw WorkerFailure("strategy_error", "\(error)")
        }
    }
}

/// A failure with a stable code, reported as an `error` event.
struct WorkerFailure: Error {
    let code: String
    let message: String
    init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// The run itself, generic over the strategy so the bar loop stays specialized.
private struct WindowRun {
    let job: WorkerJob
    let bars: BarSeries
    let timeframe: Timeframe?
    let windows: [Range<Int>]
    let control: WorkerControl
    let emit: (WorkerEvent) -> Void

    func execute<S: Strategy>(_ strategy: S) throws {
        let total = windows.reduce(0) { $0 + $1.count }
        emit(WorkerEvent(type: .started, totalCandles: total, runs: windows.count))
        var tracker = LiveTracker(totalCandles: total, runs: windows.count)
        var finished: [RandomizedRun] = []
        var stopped = false
        var lastState = Date.distantPast
        for (k, range) in windows.enumerated() {
            var session = try BacktestSession(strategy: strategy, bars: bars.slice(range), config: job.account)
            tracker.begin(run: k + 1, initialCash: job.account.initialCash)
            while !session.isFinished {
                var pausedAt = Date()
                stopped = control.checkpoint(onPause: {
                    pausedAt = Date()
                    emit(WorkerEvent(type: .paused, state: tracker.state(status: "paused")))
                }, onResume: {
                    (session.strategy as? LuaStrategy)?.postponeDeadline(by: Date().timeIntervalSince(pausedAt))
                    emit(WorkerEvent(type: .resumed))
                })
                if stopped { break }
                session.advance(by: job.stateEvery)
                if let failure = session.failure { throw WorkerFailure("strategy_error", "\(failure)") }
                tracker.update(session)
                if Date().timeIntervalSince(lastState) >= job.stateInterval ?? 0 {
                    emit(WorkerEvent(type: .state, state: tracker.state(status: "running")))
                    lastState = Date()
                }
            }
            // A window cut short by a stop would skew a randomized test's aggregate: keep it only
            // when it is the single run (or the only one with any bars).
            if session.nextIndex > 0, !stopped || windows.count == 1 || finished.isEmpty {
                finished.append(RandomizedRun(run: k + 1, range: range, result: session.result()))
            }
            if stopped { break }
        }
        let status = stopped ? "stopped" : "completed"
        var summary: JSONValue?
        if !finished.isEmpty {
            do {
                summary = try ResultsWriter(job: job, bars: bars, timeframe: timeframe, status: status).write(finished)
            } catch {
                throw WorkerFailure("internal", "cannot write the artifacts to \(job.outputDirectory): \(error)")
            }
        }
        emit(WorkerEvent(type: .state, state: tracker.state(status: status)))
        emit(WorkerEvent(type: .finished, status: status, summary: summary))
    }
}

import Foundation
import TradelabCore
import TradelabLua

/// Runs the windows of a job: one after the other in slices (live states, pause, prompt stop),
/// or several at once on threads.
struct WindowPlan {
    let bars: BarSeries
    let windows: [Range<Int>]
    let config: AccountConfig
    let sliceBars: Int
    let parallelism: Int
    let control: RunControl
    let observer: (any RunObserver)?

    /// Bars over every window.
    var totalBars: Int { windows.reduce(0) { $0 + $1.count } }

    /// What the windows produced.
    struct Executed {
        /// The runs with results, in run order. A window cut short by a stop would skew a
        /// randomized aggregate, so it is kept only when it is the only run with bars.
        var runs: [RandomizedRun] = []
        var stopped = false
        var indicatorsMs = 0.0
        var engineMs = 0.0
        var log: [LuaLogLine] = []
        /// The indicators the first window's strategy declared.
        var indicators: [IndicatorSpec] = []
        var tracker: LiveTracker?
    }

    func execute<Session: SteppedBacktest>(_ hooks: SessionHooks<Session>) throws(RunFailure) -> Executed {
        parallelism > 1 && windows.count > 1 ? try parallel(hooks) : try sequential(hooks)
    }

    private func sequential<Session: SteppedBacktest>(_ hooks: SessionHooks<Session>) throws(RunFailure) -> Executed {
        var out = Executed()
        let live = observer?.wantsLiveStates == true
        var tracker = live ? LiveTracker(totalCandles: totalBars, runs: windows.count) : nil
        var barsBefore = 0
        defer { control.onStop(nil) }
        for (k, range) in windows.enumerated() {
            let prepare = Stopwatch()
            var session: Session
            do { session = try make(hooks, range) } catch {
                guard control.isStopped else { throw error }
                out.stopped = true      // a stop interrupted the script's on_init
                break
            }
            out.indicatorsMs += prepare.milliseconds
            if k == 0 { out.indicators = hooks.indicators(session) }
            control.onStop(hooks.cancel(session))
            tracker?.begin(run: k + 1, initialCash: config.initialCash)
            while !session.isFinished {
                var pausedAt = Date()
                out.stopped = control.checkpoint(onPause: {
                    pausedAt = Date()
                    observer?.paused(state: tracker?.state(status: "paused"))
                }, onResume: {
                    hooks.postpone(session, Date().timeIntervalSince(pausedAt))
                    observer?.resumed()
                })
                if out.stopped { break }
                let slice = Stopwatch()
                _ = session.advance(by: sliceBars)
                out.engineMs += slice.milliseconds
                if let failure = session.failure {
                    guard control.isStopped, (failure as? LuaError)?.kind == .cancelled else {
                        throw RunFailure(.strategyError, "\(failure)", log: hooks.log(session))
                    }
                    out.stopped = true   // the stop interrupted the script inside on_bar: the bar counts as processed
                    tracker?.update(session)
                    break
                }
                tracker?.update(session)
                let current = tracker
                observer?.progressed(done: barsBefore + session.nextIndex, total: totalBars) { current?.state(status: "running") }
            }
            if k == 0 { out.log = hooks.log(session) }
            if session.nextIndex > 0, !out.stopped || out.runs.isEmpty {
                let processed = range.lowerBound..<(range.lowerBound + session.nextIndex)
                out.runs.append(RandomizedRun(run: k + 1, range: processed, result: session.result()))
            }
            barsBefore += range.count
            observer?.runFinished(done: k + 1, total: windows.count)
            if out.stopped { break }
        }
        out.tracker = tracker
        return out
    }

    private func parallel<Session: SteppedBacktest>(_ hooks: SessionHooks<Session>) throws(RunFailure) -> Executed {
        let shared = ParallelState(count: windows.count)
        let windows = self.windows, control = self.control, observer = self.observer
        DispatchQueue.concurrentPerform(iterations: min(parallelism, windows.count)) { _ in
            while let k = shared.next(), !control.isStopped {
                do throws(RunFailure) {
                    let prepare = Stopwatch()
                    var session = try make(hooks, windows[k])
                    let prepared = prepare.milliseconds
                    let loop = Stopwatch()
                    _ = session.advance(by: windows[k].count)
                    let ran = loop.milliseconds
                    if let failure = session.failure { throw RunFailure(.strategyError, "\(failure)") }
                    let run = RandomizedRun(run: k + 1, range: windows[k], result: session.result())
                    let done = shared.finish(k, run, log: k == 0 ? hooks.log(session) : nil,
                                             indicators: k == 0 ? hooks.indicators(session) : nil, indicatorsMs: prepared, engineMs: ran)
                    observer?.runFinished(done: done, total: windows.count)
                } catch {
                    shared.fail(error)
                    return
                }
            }
        }
        return try shared.executed()
    }

    private func make<Session: SteppedBacktest>(_ hooks: SessionHooks<Session>, _ range: Range<Int>) throws(RunFailure) -> Session {
        do { return try hooks.make(range) } catch { throw RunFailure(.strategyError, "\(error)") }
    }
}

/// The state windows run in parallel share, behind a lock.
private final class ParallelState: @unchecked Sendable {
    private let lock = NSLock()
    private var cursor = 0
    private var runs: [RandomizedRun?]
    private var finished = 0
    private var failure: RunFailure?
    private var out = WindowPlan.Executed()

    init(count: Int) { runs = Array(repeating: nil, count: count) }

    /// The next window to run, unless every window was taken or one failed.
    func next() -> Int? {
        lock.withLock {
            guard failure == nil, cursor < runs.count else { return nil }
            cursor += 1
            return cursor - 1
        }
    }

    /// Records a finished window; returns how many have finished.
    func finish(_ k: Int, _ run: RandomizedRun, log: [LuaLogLine]?, indicators: [IndicatorSpec]?, indicatorsMs: Double, engineMs: Double) -> Int {
        lock.withLock {
            runs[k] = run
            if let log { out.log = log }
            if let indicators { out.indicators = indicators }
            out.indicatorsMs += indicatorsMs
            out.engineMs += engineMs
            finished += 1
            return finished
        }
    }

    func fail(_ error: RunFailure) { lock.withLock { if failure == nil { failure = error } } }

    /// The windows that finished, in order; stopped when some never ran.
    func executed() throws(RunFailure) -> WindowPlan.Executed {
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
        var result = out
        result.runs = runs.compactMap { $0 }
        result.stopped = result.runs.count < runs.count
        return result
    }
}

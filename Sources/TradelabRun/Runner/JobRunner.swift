import Foundation
import TradelabCore
import TradelabData
import TradelabLua

/// The single orchestration of a run, shared by the CLI, the worker and the server's callers:
/// load the bars, build the strategy, run it once or on randomized windows in slices (obeying
/// pause and stop between slices, reporting progress and live states), run the baseline, and
/// assemble the results with their timings.
///
/// ```swift
/// let outcome = try JobRunner(job: job).run()
/// print(outcome.results.metrics?.sharpeRatio ?? .nan, outcome.results.timings.engineMs)
/// ```
public struct JobRunner: Sendable {
    /// The job.
    public var job: RunJob
    /// Bars per slice: the observer hears of progress, and pause/stop take effect, between slices.
    public var sliceBars: Int
    /// Randomized windows run at once. Above 1 windows run whole on several threads: no live
    /// states, no pause, a stop takes effect between windows. The results are the same.
    public var parallelism: Int

    /// Creates a runner.
    public init(job: RunJob, sliceBars: Int = 1 << 15, parallelism: Int = 1) {
        self.job = job
        self.sliceBars = max(1, sliceBars)
        self.parallelism = max(1, parallelism)
    }

    /// Runs the job to its end (or its stop).
    /// - Returns: The results and what they were made from.
    /// - Throws: ``RunFailure``: `invalid_job`, `data_error`, `strategy_error` (with the script's
    ///   `file.lua:LINE:` when there is one).
    public func run(control: RunControl = RunControl(), observer: (any RunObserver)? = nil) throws(RunFailure) -> RunOutcome {
        let total = Stopwatch()
        try job.validate()
        let load = Stopwatch()
        let loaded: BarQuery.Loaded
        do { loaded = try job.data.load() } catch { throw RunFailure(.dataError, "\(error)") }
        let loadMs = load.milliseconds
        let windows: [Range<Int>]
        do { windows = try job.randomized?.test.windows(in: loaded.bars) ?? [0..<loaded.bars.count] } catch {
            throw RunFailure(.invalidJob, error.description)
        }
        let strategy = try job.strategy.build(parameters: job.parameters, limits: job.limits, symbol: job.symbol,
                                              timeframe: loaded.timeframe?.rawValue ?? "")
        let plan = WindowPlan(bars: loaded.bars, windows: windows, config: job.account, sliceBars: sliceBars,
                              parallelism: job.randomized == nil ? 1 : parallelism, control: control, observer: observer)
        observer?.runStarted(totalBars: plan.totalBars, runs: windows.count)
        var executed: WindowPlan.Executed
        switch strategy {
        case .native(let native):
            executed = try plan.execute(SessionHooks(make: { range in try NativeSession(strategy: native, bars: loaded.bars.slice(range), config: job.account) },
                                                     indicators: { _ in native.indicators }))
        case .lua(let lua):
            executed = try plan.execute(SessionHooks(
                make: { range in try BacktestSession(strategy: lua, bars: loaded.bars.slice(range), config: job.account) },
                postpone: { session, seconds in session.strategy.postponeDeadline(by: seconds) },
                cancel: { session in let script = session.strategy; return { script.cancel() } },
                log: { session in session.strategy.log },
                indicators: { session in session.strategy.indicators }))
        }
        let baseline = try baseline(on: executed.runs, bars: loaded.bars, timeframe: loaded.timeframe?.rawValue ?? "")
        let data = DataInfo(source: job.data.sourceName, symbol: job.symbol, timeframe: loaded.timeframe, bars: loaded.bars)
        let timings = RunTimings(loadMs: loadMs, indicatorsMs: executed.indicatorsMs, engineMs: executed.engineMs, totalMs: total.milliseconds)
        let results = executed.runs.isEmpty ? nil : RunResults(job: job, strategy: strategy, indicators: executed.indicators, data: data,
                                                               runs: executed.runs, baseline: baseline, status: executed.stopped ? .stopped : .completed, timings: timings)
        return RunOutcome(results: results, runs: executed.runs, baselineRuns: baseline?.runs, bars: loaded.bars, timeframe: loaded.timeframe,
                          notes: loaded.notes, log: executed.log,
                          finalState: executed.tracker?.state(status: executed.stopped ? RunStatus.stopped.rawValue : RunStatus.completed.rawValue))
    }

    /// The baseline strategy (buy-and-hold, or an optimization's model) on the bars each run
    /// processed, with its name; nil without one (a previous run is attached by the server).
    private func baseline(on runs: [RandomizedRun], bars: BarSeries, timeframe: String) throws(RunFailure) -> (name: String, runs: [RandomizedRun])? {
        let strategy: RunnableStrategy
        switch job.baseline {
        case .buyAndHold: strategy = .native(NativeStrategy.buyAndHold())
        case .optimization(_, let reference, let parameters):
            strategy = try reference.build(parameters: parameters, limits: job.limits, symbol: job.symbol, timeframe: timeframe)
        case .run, nil: return nil
        }
        let backtester = Backtester(config: job.account)
        do {
            let baselineRuns = try runs.map { run in
                let result = switch strategy {
                case .native(let s): try backtester.run(s, on: bars.slice(run.range))
                case .lua(let s): try backtester.run(s, on: bars.slice(run.range))
                }
                return RandomizedRun(run: run.run, range: run.range, result: result)
            }
            return (job.baseline == .buyAndHold ? "buy-and-hold" : strategy.name, baselineRuns)
        } catch {
            throw RunFailure(job.baseline == .buyAndHold ? .internal : .strategyError, "the baseline \(strategy.name) failed: \(error)")
        }
    }
}

/// How to make and steer the sessions of one kind of strategy.
struct SessionHooks<Session: SteppedBacktest>: Sendable {
    /// A session over the bars of a window.
    var make: @Sendable (Range<Int>) throws -> Session
    /// Moves the script's deadline later by a pause's length.
    var postpone: @Sendable (Session, Double) -> Void = { _, _ in }
    /// What a stop calls to interrupt the session's script at once.
    var cancel: @Sendable (Session) -> (@Sendable () -> Void)? = { _ in nil }
    /// What the script printed.
    var log: @Sendable (Session) -> [LuaLogLine] = { _ in [] }
    /// The indicators the session's strategy declared (known once the session is made).
    var indicators: @Sendable (Session) -> [IndicatorSpec] = { _ in [] }
}

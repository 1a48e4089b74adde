import Foundation
import Synchronization
import TradelabCore
import TradelabData
import TradelabLua

/// Runs an ``OptimizationJob``: loads the bars once, then runs each batch of the search's trials
/// in parallel (one strategy, and for Lua one sandbox, per trial), each a full backtest with the
/// job's account.
///
/// ```swift
/// let results = try Optimizer(job: job, parallelism: 2).run { progress in print(progress.done, progress.total) }
/// ```
public struct Optimizer: Sendable {
    /// The job.
    public var job: OptimizationJob
    /// Trials run at once.
    public var parallelism: Int

    /// Creates an optimizer.
    public init(job: OptimizationJob, parallelism: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.job = job
        self.parallelism = max(1, parallelism)
    }

    /// Hears how far the run has come, from any thread, after every trial.
    public typealias Progress = @Sendable (OptimizationProgress) -> Void

    /// Runs the search to its end, or until `control` is stopped.
    /// - Throws: ``RunFailure``: `invalid_job` (a bad range, size, objective or parameter, before
    ///   any work), `data_error`, `strategy_error` (a script that cannot be read or has errors).
    ///   A trial whose script fails at run time is recorded as rejected and the search goes on.
    public func run(control: RunControl = RunControl(), progress: Progress? = nil) throws(RunFailure) -> OptimizationResults {
        let total = Stopwatch()
        try job.validate()
        let load = Stopwatch()
        let loaded: BarQuery.Loaded
        do { loaded = try job.base.data.load() } catch { throw RunFailure(.dataError, "\(error)") }
        let loadMs = load.milliseconds
        let reference = try job.base.strategy.readOnce()
        let timeframe = loaded.timeframe?.rawValue ?? ""
        // The strategy is built once before the search: a script that cannot build (a bad
        // header) fails the job at once rather than every trial.
        _ = try reference.build(parameters: job.base.parameters.merging(job.space.parameters(job.space.ranges.map { _ in 0 })) { $1 },
                                limits: job.base.limits, symbol: job.base.symbol, timeframe: timeframe)
        let bars = loaded.bars
        var plan: WalkForwardPlan?
        if let options = job.walkForward {
            do { plan = try WalkForwardPlan(bars: bars.count, folds: options.folds, inSample: options.inSample, anchored: options.anchored) } catch {
                throw RunFailure(.invalidJob, error.message)
            }
        }
        // A stop interrupts the trials' scripts at once, also one stuck in a loop.
        let cancellation = LuaCancellation()
        control.onStop { cancellation.cancel() }
        defer { control.onStop(nil) }
        let genetic: Bool = if case .genetic = job.method { true } else { false }
        let generations = Mutex<[ParameterSearch.Generation]>([])
        let engine = Stopwatch()
        let (all, blocks, log) = search(on: bars, reference: reference, timeframe: timeframe, control: control, cancellation: cancellation,
                                        generation: { g in generations.withLock { $0.append(g) } }) { done, total, best in
            progress?(OptimizationProgress(phase: .search, done: done, total: total, best: best,
                                           generations: genetic ? generations.withLock { $0 } : nil))
        }
        let engineMs = engine.milliseconds
        let best = OptimizationResults.ranked(all).first
        // The best trial once more, whole: its returns for the deflated Sharpe ratio, its trades
        // for Monte Carlo.
        let bestRun = best.flatMap { try? backtest($0.params, reference: reference, bars: bars, timeframe: timeframe) }
        var walkForward: WalkForwardResult?
        if let options = job.walkForward, let plan {
            walkForward = self.walkForward(options, plan: plan, bars: bars, reference: reference, timeframe: timeframe, control: control,
                                           cancellation: cancellation) { done in
                progress?(OptimizationProgress(phase: .walkForward, done: all.count + done, total: all.count + max(done, options.folds * all.count),
                                               best: best, generations: genetic ? log.generations : nil))
            }
        }
        var deflated: DeflatedSharpe?, monteCarlo: MonteCarlo.Result?, stability: ParameterStability?
        if let best, let bestRun {
            deflated = deflatedSharpe(of: best, among: all, run: bestRun)
            monteCarlo = job.monteCarlo.flatMap { self.monteCarlo(of: bestRun, simulations: $0) }
        }
        if let best, let objective = best.objective {
            stability = ParameterStability(best: best.params, objective: objective, space: job.space,
                                           trials: all.map { ($0.params, $0.objective) })
        }
        // Cross-validated over the trials that count (a failed or filtered trial was not a candidate).
        let overfitting = OverfittingProbability.cscv(zip(all, blocks).compactMap { $0.objective == nil ? nil : $1 })
        let data = DataInfo(source: job.base.data.sourceName, symbol: job.base.symbol, timeframe: loaded.timeframe, bars: bars)
        return OptimizationResults(
            tradelab: TradelabVersion.current, method: job.method.name, objective: job.objective.rawValue,
            strategy: job.base.strategy.displayName, data: data, trials: all, best: best,
            guards: .init(trials: all.count, rejected: all.filter { $0.rejected != nil }.count, combinations: job.space.combinations,
                          deflatedSharpe: deflated, overfitting: overfitting, stability: stability),
            generations: genetic ? log.generations : nil, stoppedEarly: genetic ? log.stoppedEarly : nil,
            walkForward: walkForward, monteCarlo: monteCarlo,
            cancelled: log.cancelled || control.isStopped,
            timings: RunTimings(loadMs: loadMs, indicatorsMs: 0, engineMs: engineMs, totalMs: total.milliseconds))
    }

    /// The search over `bars`: each batch of points run in parallel, the indicators shared.
    private func search(on bars: BarSeries, reference: StrategyReference, timeframe: String, control: RunControl, cancellation: LuaCancellation,
                        generation: ((ParameterSearch.Generation) -> Void)? = nil,
                        progress: @escaping @Sendable (_ done: Int, _ total: Int, _ best: OptimizationTrial?) -> Void)
        -> (trials: [OptimizationTrial], blocks: [ReturnBlocks?], log: ParameterSearch.Log) {
        let space = job.space
        let cache = IndicatorCache(bars: bars)
        let trials = TrialLog()
        let log = job.search.run(generation: generation) { points in
            guard !control.isStopped else { return nil }
            let base = trials.count
            let done = trials.run(points.count, parallelism: parallelism) { k in
                guard !control.isStopped else { return nil }
                return trial(base + k + 1, params: space.parameters(points[k]), reference: reference, bars: bars, timeframe: timeframe,
                             cache: cache, control: control, cancellation: cancellation)
            } progress: { done, best in progress(base + done, base + points.count, best) }
            return done ? points.indices.map { trials.objective(base + $0) } : nil
        }
        return (trials.all, trials.allBlocks, log)
    }

    /// The walk-forward test: in each fold the search on the in-sample bars, then its best
    /// parameters backtested on the out-of-sample bars; the out-of-sample runs stitched.
    /// `progress` gets the trials done over every fold so far.
    private func walkForward(_ options: WalkForwardOptions, plan: WalkForwardPlan, bars: BarSeries, reference: StrategyReference,
                             timeframe: String, control: RunControl, cancellation: LuaCancellation,
                             progress: @escaping @Sendable (_ done: Int) -> Void) -> WalkForwardResult {
        let initial = job.base.account.initialCash
        var windows: [WalkForwardResult.Window] = []
        var stitched = StitchedRun(initialCash: initial)
        var done = 0
        for (k, fold) in plan.windows.enumerated() where !control.isStopped {
            let inSample = bars.slice(fold.inSample), outOfSample = bars.slice(fold.outOfSample)
            let base = done
            let found = search(on: inSample, reference: reference, timeframe: timeframe, control: control, cancellation: cancellation) { d, _, _ in
                progress(base + d)
            }
            done += found.trials.count
            let best = OptimizationResults.ranked(found.trials).first
            var window = WalkForwardResult.Window(
                fold: k + 1, inSample: .init(inSample), outOfSample: .init(outOfSample), trials: found.trials.count,
                params: best?.params, inSampleObjective: best?.objective, outOfSampleObjective: nil,
                inSampleMetrics: best?.metrics, outOfSampleMetrics: nil,
                note: best == nil ? "no in-sample trial counted (every one failed or missed the filter): nothing tested" : nil)
            if let best {
                do {
                    let run = try backtest(best.params, reference: reference, bars: outOfSample, timeframe: timeframe)
                    let m = run.metrics(options: job.base.metrics)
                    window.outOfSampleMetrics = m
                    window.outOfSampleObjective = job.objective.value(of: m)
                    stitched.append(run)
                } catch {
                    window.note = "the out-of-sample backtest failed: \(error)"
                }
            }
            windows.append(window)
        }
        let tested = windows.filter { $0.outOfSampleMetrics != nil }
        let inRates = tested.compactMap { $0.inSampleMetrics?.annualizedReturn }, outRates = tested.compactMap { $0.outOfSampleMetrics?.annualizedReturn }
        var efficiency: Double?
        if !inRates.isEmpty, inRates.count == outRates.count {
            let inMean = inRates.reduce(0, +) / Double(inRates.count), outMean = outRates.reduce(0, +) / Double(outRates.count)
            if inMean > 0 { efficiency = outMean / inMean }
        }
        let run = stitched.result(config: job.base.account)
        return WalkForwardResult(options: options, windows: windows, efficiency: efficiency,
                                 outOfSample: run?.metrics(options: job.base.metrics),
                                 equity: run.map { Curve($0.equity).downsampled(to: 2_000) })
    }

    /// The strategy with `params` over the fixed parameters, its indicators from `cache` if given,
    /// a script's runs cancelled by `cancellation`.
    private func strategy(_ params: [String: Double], reference: StrategyReference, timeframe: String,
                          cache: IndicatorCache?, cancellation: LuaCancellation? = nil) throws -> RunnableStrategy {
        let built = try reference.build(parameters: job.base.parameters.merging(params) { $1 }, limits: job.base.limits,
                                        symbol: job.base.symbol, timeframe: timeframe)
        switch built {
        case .native(var s):
            if let cache { s.share(cache) }
            return .native(s)
        case .lua(var s):
            s.sharedIndicators = cache
            s.cancellation = cancellation
            return .lua(s)
        }
    }

    /// A full backtest with `params` over the fixed parameters.
    private func backtest(_ params: [String: Double], reference: StrategyReference, bars: BarSeries, timeframe: String) throws -> BacktestResult {
        let backtester = Backtester(config: job.base.account)
        switch try strategy(params, reference: reference, timeframe: timeframe, cache: nil) {
        case .native(let s): return try backtester.run(s, on: bars)
        case .lua(let s): return try backtester.run(s, on: bars)
        }
    }

    /// The best trial's deflated Sharpe ratio among every trial's, from its run's per-bar returns.
    private func deflatedSharpe(of best: OptimizationTrial, among trials: [OptimizationTrial], run: BacktestResult) -> DeflatedSharpe? {
        func perBar(_ m: PerformanceMetrics?) -> Double? {
            guard let m, let sharpe = m.sharpeRatio, let ppy = m.periodsPerYear, ppy > 0 else { return nil }
            return sharpe / ppy.squareRoot()
        }
        guard let bestSR = perBar(best.metrics) else { return nil }
        let equity = run.equity.equity
        var returns: [Double] = []
        returns.reserveCapacity(equity.count)
        for i in equity.indices.dropFirst() where equity[i - 1] > 0 { returns.append(equity[i] / equity[i - 1] - 1) }
        return DeflatedSharpe(sharpes: trials.compactMap { perBar($0.metrics) }, best: bestSR, returns: returns)
    }

    /// Monte Carlo on `run`'s closed trades, each as its P&L over the equity before it opened.
    private func monteCarlo(of run: BacktestResult, simulations: Int) -> MonteCarlo.Result? {
        let equity = run.equity.equity, initial = run.config.initialCash
        let returns = run.closedTrades.map { t -> Double in
            let before = t.entryIndex > 0 ? equity[t.entryIndex - 1] : initial
            return before > 0 ? t.pnl / before : 0
        }
        return MonteCarlo(initialEquity: initial, returns: returns, simulations: simulations, seed: job.seed).run()
    }

    /// One full backtest with `params` over the searched ones.
    /// Blocks each trial's returns are summed in, for the cross-validated overfitting probability.
    static let blocks = 16

    /// The trial keeps only its metrics and its returns by block (no equity columns) and shares
    /// its indicators through `cache`. Nil when a stop cut it short: it is not recorded.
    private func trial(_ number: Int, params: [String: Double], reference: StrategyReference, bars: BarSeries, timeframe: String,
                       cache: IndicatorCache, control: RunControl, cancellation: LuaCancellation) -> (OptimizationTrial, ReturnBlocks?)? {
        do {
            let backtester = Backtester(config: job.base.account), options = job.base.metrics
            let (m, blocks) = switch try strategy(params, reference: reference, timeframe: timeframe, cache: cache, cancellation: cancellation) {
            case .native(let s): try backtester.metrics(of: s, on: bars, options: options, blocks: Self.blocks)
            case .lua(let s): try backtester.metrics(of: s, on: bars, options: options, blocks: Self.blocks)
            }
            let rejected = job.filter.rejection(m)
            return (OptimizationTrial(trial: number, params: params, objective: rejected == nil ? job.objective.value(of: m) : nil,
                                      finalEquity: m.finalEquity, closedTrades: m.tradeCount, metrics: m, rejected: rejected), blocks)
        } catch {
            if control.isStopped { return nil }
            return (OptimizationTrial(trial: number, params: params, objective: nil, finalEquity: nil, closedTrades: nil, metrics: nil,
                                      rejected: "\(error)"), nil)
        }
    }
}

/// The trials of a run, filled from several threads.
private final class TrialLog: @unchecked Sendable {
    private let lock = NSLock()
    /// Each trial with its returns by block (nil until run).
    private var trials: [(trial: OptimizationTrial, blocks: ReturnBlocks?)?] = []
    /// The best trial so far (highest objective, the earlier on a tie).
    private var best: OptimizationTrial?
    private var cursor = 0, done = 0, stopped = false

    var count: Int { lock.withLock { trials.count } }
    /// The trials run, in order.
    var all: [OptimizationTrial] { lock.withLock { trials.compactMap { $0?.trial } } }
    /// Their return blocks, in the same order.
    var allBlocks: [ReturnBlocks?] { lock.withLock { trials.compactMap { $0.map(\.blocks) } } }
    func objective(_ index: Int) -> Double? { lock.withLock { trials[index]?.trial.objective } }

    /// Runs `count` trials on `parallelism` threads; false when one was refused (a stop).
    func run(_ count: Int, parallelism: Int, _ make: @Sendable (Int) -> (OptimizationTrial, ReturnBlocks?)?,
             progress: @Sendable (Int, OptimizationTrial?) -> Void) -> Bool {
        let base = lock.withLock { () -> Int in
            trials += Array(repeating: nil, count: count)
            cursor = 0
            done = 0
            return trials.count - count
        }
        DispatchQueue.concurrentPerform(iterations: min(parallelism, count)) { _ in
            while true {
                let k: Int? = lock.withLock {
                    guard !self.stopped, self.cursor < count else { return nil }
                    self.cursor += 1
                    return self.cursor - 1
                }
                guard let k else { return }
                guard let t = make(k) else { lock.withLock { self.stopped = true }; return }
                let (finished, best) = lock.withLock { () -> (Int, OptimizationTrial?) in
                    trials[base + k] = t
                    if let o = t.0.objective, self.best.map({ (o, -t.0.trial) > ($0.objective!, -$0.trial) }) ?? true { self.best = t.0 }
                    self.done += 1
                    return (self.done, self.best)
                }
                progress(finished, best)
            }
        }
        return lock.withLock { !stopped }
    }
}

extension StrategyReference {
    /// A script file read once into `.lua`, so that trials do not read it again.
    /// - Throws: ``RunFailure`` `strategy_error` when the file cannot be read.
    func readOnce() throws(RunFailure) -> StrategyReference {
        guard case .file = self else { return self }
        let (name, code) = try script()
        return .lua(name: name, code: code)
    }
}

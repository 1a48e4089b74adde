import Foundation
import TradelabCore
import TradelabData

/// Runs an ``OptimizationJob``: loads the bars once, then runs each batch of the search's trials
/// in parallel (one strategy, and for Lua one sandbox, per trial), each a full backtest with the
/// job's account.
///
/// ```swift
/// let results = try Optimizer(job: job, parallelism: 2).run { done, total, best in print(done, total) }
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

    /// Progress: trials done, trials in the current batches so far, the best objective so far.
    public typealias Progress = @Sendable (_ done: Int, _ total: Int, _ best: Double?) -> Void

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
        let space = job.space
        let trials = TrialLog()
        let engine = Stopwatch()
        let log = job.search.run { points in
            guard !control.isStopped else { return nil }
            let base = trials.count
            let done = trials.run(points.count, parallelism: parallelism) { k in
                guard !control.isStopped else { return nil }
                let params = space.parameters(points[k])
                return trial(base + k + 1, params: params, reference: reference, bars: loaded.bars, timeframe: timeframe)
            } progress: { done, best in progress?(base + done, base + points.count, best) }
            return done ? points.indices.map { trials.objective(base + $0) } : nil
        }
        let engineMs = engine.milliseconds
        let all = trials.all
        let data = DataInfo(source: job.base.data.sourceName, symbol: job.base.symbol, timeframe: loaded.timeframe, bars: loaded.bars)
        let best = OptimizationResults.ranked(all).first
        let genetic: Bool = if case .genetic = job.method { true } else { false }
        return OptimizationResults(
            tradelab: TradelabVersion.current, method: job.method.name, objective: job.objective.rawValue,
            strategy: job.base.strategy.displayName, data: data, trials: all, best: best,
            guards: .init(trials: all.count, rejected: all.filter { $0.rejected != nil }.count, combinations: space.combinations,
                          deflatedSharpe: best.flatMap { deflatedSharpe(of: $0, among: all, reference: reference, bars: loaded.bars, timeframe: timeframe) }),
            generations: genetic ? log.generations : nil, stoppedEarly: genetic ? log.stoppedEarly : nil,
            cancelled: log.cancelled || control.isStopped,
            timings: RunTimings(loadMs: loadMs, indicatorsMs: 0, engineMs: engineMs, totalMs: total.milliseconds))
    }

    /// A full backtest with `params` over the fixed parameters.
    private func backtest(_ params: [String: Double], reference: StrategyReference, bars: BarSeries, timeframe: String) throws -> BacktestResult {
        let all = job.base.parameters.merging(params) { $1 }
        let backtester = Backtester(config: job.base.account)
        switch try reference.build(parameters: all, limits: job.base.limits, symbol: job.base.symbol, timeframe: timeframe) {
        case .native(let s): return try backtester.run(s, on: bars)
        case .lua(let s): return try backtester.run(s, on: bars)
        }
    }

    /// The best trial's deflated Sharpe ratio among every trial's; its returns come from running
    /// it once more.
    private func deflatedSharpe(of best: OptimizationTrial, among trials: [OptimizationTrial], reference: StrategyReference,
                                bars: BarSeries, timeframe: String) -> DeflatedSharpe? {
        func perBar(_ m: PerformanceMetrics?) -> Double? {
            guard let m, let sharpe = m.sharpeRatio, let ppy = m.periodsPerYear, ppy > 0 else { return nil }
            return sharpe / ppy.squareRoot()
        }
        guard let bestSR = perBar(best.metrics),
              let equity = try? backtest(best.params, reference: reference, bars: bars, timeframe: timeframe).equity.equity else { return nil }
        var returns: [Double] = []
        returns.reserveCapacity(equity.count)
        for i in equity.indices.dropFirst() where equity[i - 1] > 0 { returns.append(equity[i] / equity[i - 1] - 1) }
        return DeflatedSharpe(sharpes: trials.compactMap { perBar($0.metrics) }, best: bestSR, returns: returns)
    }

    /// One full backtest with `params` over the searched ones.
    private func trial(_ number: Int, params: [String: Double], reference: StrategyReference, bars: BarSeries, timeframe: String) -> OptimizationTrial {
        do {
            let m = try backtest(params, reference: reference, bars: bars, timeframe: timeframe).metrics(options: job.base.metrics)
            let rejected = job.filter.rejection(m)
            return OptimizationTrial(trial: number, params: params, objective: rejected == nil ? job.objective.value(of: m) : nil,
                                     finalEquity: m.finalEquity, closedTrades: m.tradeCount, metrics: m, rejected: rejected)
        } catch {
            return OptimizationTrial(trial: number, params: params, objective: nil, finalEquity: nil, closedTrades: nil, metrics: nil,
                                     rejected: "\(error)")
        }
    }
}

/// The trials of a run, filled from several threads.
private final class TrialLog: @unchecked Sendable {
    private let lock = NSLock()
    private var trials: [OptimizationTrial?] = []
    private var best: Double?
    private var cursor = 0, done = 0, stopped = false

    var count: Int { lock.withLock { trials.count } }
    var all: [OptimizationTrial] { lock.withLock { trials.compactMap { $0 } } }
    func objective(_ index: Int) -> Double? { lock.withLock { trials[index]?.objective } }

    /// Runs `count` trials on `parallelism` threads; false when one was refused (a stop).
    func run(_ count: Int, parallelism: Int, _ make: @Sendable (Int) -> OptimizationTrial?,
             progress: @Sendable (Int, Double?) -> Void) -> Bool {
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
                let (finished, best) = lock.withLock { () -> (Int, Double?) in
                    trials[base + k] = t
                    if let o = t.objective, o > (self.best ?? -.infinity) { self.best = o }
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

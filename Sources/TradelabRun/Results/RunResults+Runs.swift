import TradelabCore

extension RunResults {
    /// Points kept per run curve in the runs table (the main curve stays whole): 1000, fewer when
    /// there are many runs, so all overlays together hold at most 200,000 points.
    public static func overlayPoints(runs: Int) -> Int { min(1000, max(20, 200_000 / max(1, runs))) }

    /// The results of `runs` (one, or randomized windows) of `job`, with the baseline strategy's
    /// runs on the same bars when `baseline` is given.
    init(job: RunJob, strategy: RunnableStrategy, indicators: [IndicatorSpec], data: DataInfo, runs: [RandomizedRun],
         baseline compared: (name: String, runs: [RandomizedRun])?, status: RunStatus, timings: RunTimings) {
        let metrics = runs.map { $0.result.metrics(options: job.metrics) }
        let trades = runs.flatMap { run in run.result.trades.map { TradeRow($0, run: run.run) } }
        let closed = trades.filter { !$0.isOpen }.count
        var aggregate: RandomizedAggregate?
        if let randomized = job.randomized {
            aggregate = RandomizedAggregate(RandomizedReport(runs: runs, seed: randomized.seed, duration: randomized.duration), metrics: metrics)
        }
        let points = job.randomized == nil ? nil : Self.overlayPoints(runs: runs.count)
        let rows = zip(runs, metrics).map { RunRow($0, metrics: $1, points: points) }
        let optimizationId: String? = if case .optimization(let id, _, _) = job.baseline { id } else { nil }
        let baseline = compared.map { name, holds in
            Baseline(name: name, optimizationId: optimizationId, totalReturn: holds.map(\.totalReturn).reduce(0, +) / Double(max(1, holds.count)),
                     equity: holds.first.map { Curve($0.result.equity) },
                     runs: job.randomized == nil ? nil : holds.map { RunRow($0, metrics: $0.result.metrics(options: job.metrics), points: points) })
        }
        self.init(status: status, strategy: strategy.name, parameters: strategy.parameters,
                  indicators: indicators.map(\.description), data: data, account: job.account,
                  metrics: job.randomized == nil ? metrics.first : nil, randomized: aggregate, closedTrades: closed,
                  openTrades: trades.count - closed, rejectedOrders: runs.reduce(0) { $0 + $1.result.orders.filter { $0.status == .rejected }.count },
                  timings: timings, equity: runs.first.map { Curve($0.result.equity) }, trades: trades, tradesTotal: trades.count,
                  runs: rows, baseline: baseline)
    }
}

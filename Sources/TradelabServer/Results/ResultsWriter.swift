import Foundation
import TradelabCore
import TradelabData

/// Writes a worker's artifacts: `summary.json`, `trades.csv`, `equity.csv`, `orders.csv` (one
/// run) or the randomized layout (`summary.json`, `runs.csv`, `trades.csv`, `run-NNN/`), plus
/// `results.json`, the ``RunResults`` the server serves and caches.
struct ResultsWriter {
    /// Points kept per run curve in `results.json`'s runs table (the main curve stays whole):
    /// 1000, fewer when there are many runs, so all overlays together hold at most 200,000 points.
    static func overlayPoints(runs: Int) -> Int { min(1000, max(20, 200_000 / max(1, runs))) }

    let job: WorkerJob
    let bars: BarSeries
    let timeframe: Timeframe?
    let status: String

    /// Writes everything for the runs that produced results.
    /// - Returns: The summary (the content of `summary.json`).
    func write(_ runs: [RandomizedRun]) throws -> JSONValue {
        let directory = job.outputDirectory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let info = DataInfo(source: job.data.sourceName, timeframe: timeframe, bars: bars)
        let summary: JSONValue
        if let randomized = job.randomized {
            let report = RandomizedReport(runs: runs, seed: randomized.seed, duration: try TimeSpan(parsing: randomized.duration))
            let aggregate = RandomizedSummary(version: TradelabVersion.current, report: report, data: info, options: MetricsOptions())
            try RandomizedArtifacts.write(report, summary: aggregate, options: MetricsOptions(), data: info,
                                          version: TradelabVersion.current, to: directory)
            summary = try JSONValue(encoding: aggregate)
        } else {
            let result = runs[0].result
            let single = RunSummary(version: TradelabVersion.current, result: result, data: info, metrics: result.metrics(), includeTrades: false)
            try ArtifactWriter.write(result, summary: single, to: directory)
            summary = try JSONValue(encoding: single)
        }
        let results = RunResults(
            id: job.id, status: status, strategy: runs[0].result.strategy, data: info, account: job.account, summary: summary,
            equity: Curve(runs[0].result.equity),
            trades: runs.flatMap { run in run.result.trades.map { RunResults.TradeRow($0, run: run.run) } },
            runs: runs.map { Self.row($0, points: Self.overlayPoints(runs: runs.count)) }, baseline: job.buyAndHoldBaseline ? try baseline(runs) : nil,
            artifacts: try Self.listArtifacts(in: directory) + ["results.json"])
        try ArtifactWriter.atomicWrite(JSONCoding.encoder().encode(results), to: directory + "/results.json")
        return summary
    }

    /// Buy-and-hold on the same bars (the bars each run processed, for stopped runs too).
    private func baseline(_ runs: [RandomizedRun]) throws -> RunResults.Baseline {
        let hold = try NativeStrategy(name: "buy-and-hold")
        let backtester = Backtester(config: job.account)
        let holds = try runs.map { run in
            let processed = run.range.lowerBound..<(run.range.lowerBound + run.result.equity.count)
            return RandomizedRun(run: run.run, range: processed, result: try backtester.run(hold, on: bars.slice(processed)))
        }
        return RunResults.Baseline(name: "buy-and-hold", totalReturn: holds.map(\.totalReturn).reduce(0, +) / Double(holds.count),
                                   equity: Curve(holds[0].result.equity), runs: job.randomized == nil ? [] : holds.map { Self.row($0, points: Self.overlayPoints(runs: holds.count)) })
    }

    /// The runs-table row of a run.
    static func row(_ run: RandomizedRun, points: Int) -> RunResults.RunRow {
        let closed = run.result.closedTrades
        let times = run.result.equity.timestamps
        return RunResults.RunRow(
            run: run.run, from: times.first.map { UTCTime.format($0) } ?? "", to: times.last.map { UTCTime.format($0) } ?? "",
            bars: run.result.equity.count, totalReturn: run.totalReturn, maxDrawdown: run.maxDrawdown, trades: run.result.trades.count,
            winRate: closed.isEmpty ? nil : Double(closed.filter { $0.pnl > 0 }.count) / Double(closed.count),
            equity: Curve(run.result.equity, withDrawdown: false).downsampled(to: points))
    }

    /// The regular files directly in `directory`, sorted.
    static func listArtifacts(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { name in
            var isDirectory: ObjCBool = false
            return name != "results.json" && !name.hasPrefix(".")
                && FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory) && !isDirectory.boolValue
        }.sorted()
    }
}

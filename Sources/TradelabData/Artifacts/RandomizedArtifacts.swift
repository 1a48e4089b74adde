import Foundation
import TradelabCore

/// One row of the runs table of a randomized test.
public struct RandomizedRunSummary: Encodable, Sendable {
    /// 1-based run number.
    public var run: Int
    /// First bar time, ISO 8601 UTC.
    public var from: String
    /// Last bar time, ISO 8601 UTC.
    public var to: String
    /// Bars in the window.
    public var bars: Int
    /// Total return (fraction).
    public var totalReturn: Double
    /// Deepest drawdown (fraction, <= 0).
    public var maxDrawdown: Double
    /// The run's full metrics.
    public var metrics: PerformanceMetrics
}

/// The content of `summary.json` for a randomized test.
public struct RandomizedSummary: Encodable, Sendable {
    /// Tradelab version.
    public var tradelab: String
    /// Strategy name with parameters.
    public var strategy: String
    /// The whole data set the windows were drawn from.
    public var data: DataInfo
    /// Account settings of every run.
    public var account: AccountConfig
    /// Number of runs, window length and seed.
    public var runs: Int
    /// Window length, e.g. "7d".
    public var duration: String
    /// Seed of the window draw.
    public var seed: UInt64
    /// Mean, median and standard deviation of the runs' returns; share of profitable runs.
    public var meanReturn: Double
    /// Median of the runs' returns.
    public var medianReturn: Double
    /// Sample standard deviation of the runs' returns (nil with one run).
    public var returnStandardDeviation: Double?
    /// Share of runs with a positive return.
    public var profitableShare: Double
    /// Run number of the best and the worst run.
    public var bestRun: Int?
    /// Run number of the worst run.
    public var worstRun: Int?
    /// Trades across all runs.
    public var totalTrades: Int
    /// The runs table.
    public var runTable: [RandomizedRunSummary]

    /// Summarizes a report.
    public init(version: String, report: RandomizedReport, data: DataInfo, options: MetricsOptions) {
        tradelab = version
        strategy = report.runs.first?.result.strategy ?? ""
        self.data = data
        account = report.runs.first?.result.config ?? AccountConfig()
        runs = report.runs.count
        duration = report.duration.description
        seed = report.seed
        meanReturn = report.meanReturn
        medianReturn = report.medianReturn
        let sd = report.returnStandardDeviation
        returnStandardDeviation = sd.isNaN ? nil : sd
        profitableShare = report.profitableShare
        bestRun = report.best?.run
        worstRun = report.worst?.run
        totalTrades = report.runs.reduce(0) { $0 + $1.result.trades.count }
        runTable = report.runs.map { r in
            RandomizedRunSummary(run: r.run, from: UTCTime.format(r.result.equity.timestamps.first ?? 0),
                                 to: UTCTime.format(r.result.equity.timestamps.last ?? 0), bars: r.range.count,
                                 totalReturn: r.totalReturn, maxDrawdown: r.maxDrawdown, metrics: r.result.metrics(options: options))
        }
    }
}

/// Writes a randomized test's artifacts: `summary.json`, `runs.csv`, combined `trades.csv`, and
/// `run-NNN/` with each run's own artifacts.
public enum RandomizedArtifacts {
    /// Writes everything into `directory`.
    public static func write(_ report: RandomizedReport, summary: RandomizedSummary, options: MetricsOptions, data: DataInfo,
                             version: String, to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try ArtifactWriter.atomicWrite(ArtifactWriter.jsonEncoder().encode(summary) + Data("\n".utf8), to: directory + "/summary.json")
        var runs = "run,from,to,bars,total_return,max_drawdown,trades\n"
        for r in summary.runTable {
            runs += "\(r.run),\(r.from),\(r.to),\(r.bars),\(formatNumber(r.totalReturn)),\(formatNumber(r.maxDrawdown)),\(r.metrics.tradeCount)\n"
        }
        try ArtifactWriter.atomicWrite(Data(runs.utf8), to: directory + "/runs.csv")
        let combined = report.combinedTrades
        try ArtifactWriter.atomicWrite(Data(ArtifactWriter.tradesCSV(combined.map(\.trade), runs: combined.map(\.run)).utf8),
                                       to: directory + "/trades.csv")
        let width = max(3, String(report.runs.count).count)
        for r in report.runs {
            let name = String(repeating: "0", count: width - String(r.run).count) + String(r.run)
            let info = DataInfo(source: data.source, timeframe: data.timeframe, bars: r.range.count,
                                from: UTCTime.format(r.result.equity.timestamps.first ?? 0),
                                to: UTCTime.format(r.result.equity.timestamps.last ?? 0))
            let summary = RunSummary(version: version, result: r.result, data: info, metrics: r.result.metrics(options: options), includeTrades: false)
            try ArtifactWriter.write(r.result, summary: summary, to: directory + "/run-\(name)")
        }
    }
}

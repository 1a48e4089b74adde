import ArgumentParser
import Foundation
import TradelabCore
import TradelabData

/// `tradelab backtest`: one run, or randomized runs over random windows.
struct BacktestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Run a strategy over bars and print its report.",
        discussion: """
        Orders decided on a bar fill at the next bar's open; stops, limits, stop-losses and \
        take-profits fill intrabar (see docs/fills.md).

        Strategies: \(NativeStrategy.catalog.map { info in
            info.parameters.isEmpty ? info.name
                : "\(info.name) (\(info.parameters.map { "\($0.name)=\(formatNumber($0.defaultValue))" }.joined(separator: ", ")))"
        }.joined(separator: "; ")).
        """
    )

    @OptionGroup(title: "Data") var dataOptions: DataOptions

    @Option(name: .long, help: ArgumentHelp("Strategy name: \(NativeStrategy.catalog.map(\.name).joined(separator: ", ")).", valueName: "name"))
    var strategy = "sma-cross"

    @Option(name: .customLong("param"), help: ArgumentHelp("Strategy parameter, repeatable: --param fast=10.", valueName: "name=value"))
    var parameters: [String] = []

    @OptionGroup(title: "Account") var account: AccountOptions

    @Option(name: .long, help: ArgumentHelp("Randomized testing: number of random windows.", valueName: "n"))
    var runs: Int?

    @Option(name: .long, help: ArgumentHelp("Randomized testing: window length (90m, 12h, 7d, 2w).", valueName: "span"))
    var duration: String?

    @Option(name: .long, help: ArgumentHelp("Randomized testing: seed of the window draw.", valueName: "n"))
    var seed: UInt64 = 42

    @Option(name: .long, help: ArgumentHelp("Write summary.json, trades.csv, equity.csv and orders.csv here.", valueName: "dir"))
    var out: String?

    @Flag(name: .long, help: "Print the summary and trades as JSON instead of the report.")
    var json = false

    @Option(name: .customLong("last-trades"), help: ArgumentHelp("Trades listed in the report.", valueName: "n"))
    var lastTrades = 10

    @Option(name: .customLong("risk-free"), help: ArgumentHelp("Annual risk-free rate for Sharpe and Sortino (default 0).", valueName: "rate"))
    var riskFree: Double = 0

    func validate() throws {
        if dataOptions.data == nil { throw ValidationError("missing --data FILE (a CSV file with OHLCV bars)") }
        if runs != nil, duration == nil { throw ValidationError("--runs needs --duration (e.g. --duration 7d)") }
        if duration != nil, runs == nil { throw ValidationError("--duration needs --runs (e.g. --runs 20)") }
        if lastTrades < 0 { throw ValidationError("--last-trades must be >= 0") }
    }

    func run() async throws {
        let config = try account.config()
        let native = try NativeStrategy(name: strategy, parameters: try parseParameters())
        let options = MetricsOptions(riskFreeRate: riskFree)
        try options.validate()
        let (bars, timeframe, notes) = try dataOptions.load()
        if !json { for note in notes { printError("note: \(note)") } }
        let source = URL(fileURLWithPath: dataOptions.data ?? "").lastPathComponent
        let info = DataInfo(source: source, timeframe: timeframe, bars: bars)

        if let runs, let duration {
            try await runRandomized(native, bars: bars, config: config, runs: runs, duration: TimeSpan(parsing: duration),
                                    info: info, timeframe: timeframe, options: options)
            return
        }
        let bar = ProgressBar("backtest")
        let result = try Backtester(config: config).run(native, on: bars, progressInterval: 1 << 17) { fraction in
            bar.update(fraction, detail: "\(Int(fraction * Double(bars.count)))/\(bars.count) bars")
            return true
        }
        bar.finish()
        let metrics = result.metrics(options: options)
        if let out {
            let summary = RunSummary(version: TradelabVersion.current, result: result, data: info, metrics: metrics, includeTrades: false)
            try ArtifactWriter.write(result, summary: summary, to: out)
        }
        if json {
            let summary = RunSummary(version: TradelabVersion.current, result: result, data: info, metrics: metrics, includeTrades: true)
            print(String(decoding: try ArtifactWriter.jsonEncoder().encode(summary), as: UTF8.self))
        } else {
            print(Report.header(strategy: result.strategy, source: source, timeframe: timeframe, bars: bars, config: config))
            print(Report.single(result, metrics: metrics, lastTrades: lastTrades))
            if let out { print("\n  Artifacts: \(out)/summary.json, trades.csv, equity.csv, orders.csv") }
        }
    }

    private func runRandomized(_ native: NativeStrategy, bars: BarSeries, config: AccountConfig, runs: Int, duration: TimeSpan,
                               info: DataInfo, timeframe: Timeframe?, options: MetricsOptions) async throws {
        let test = RandomizedTest(runs: runs, duration: duration, seed: seed)
        let bar = ProgressBar("randomized")
        let report = try await test.run(native, on: bars, config: config, parallelism: ProcessInfo.processInfo.activeProcessorCount) { done, total in
            bar.update(Double(done) / Double(total), detail: "\(done)/\(total) runs")
        }
        bar.finish()
        let summary = RandomizedSummary(version: TradelabVersion.current, report: report, data: info, options: options)
        if let out {
            try RandomizedArtifacts.write(report, summary: summary, options: options, data: info, version: TradelabVersion.current, to: out)
        }
        if json {
            print(String(decoding: try ArtifactWriter.jsonEncoder().encode(summary), as: UTF8.self))
        } else {
            print(Report.header(strategy: native.name, source: info.source, timeframe: timeframe, bars: bars, config: config))
            print(Report.randomized(report, lastTrades: lastTrades))
            if let out { print("\n  Artifacts: \(out)/summary.json, runs.csv, trades.csv and run-NNN/ per run") }
        }
    }

    /// "fast=10" pairs into a dictionary, with a clear error for anything else.
    private func parseParameters() throws -> [String: Double] {
        var result: [String: Double] = [:]
        for text in parameters {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let value = Double(parts[1]), value.isFinite else {
                throw ValidationError("--param '\(text)' must be name=number, e.g. --param fast=10")
            }
            result[parts[0]] = value
        }
        return result
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

import ArgumentParser
import Foundation
import TradelabCore
import TradelabData
import TradelabLua
import TradelabRun

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

    @Option(name: .long, help: ArgumentHelp("A .lua strategy file, or a built-in: \(NativeStrategy.catalog.map(\.name).joined(separator: ", ")).", valueName: "name|file.lua"))
    var strategy = "sma-cross"

    @OptionGroup(title: "Sandbox") var sandbox: SandboxLimitOptions

    @Flag(name: .customLong("show-log"), help: "Lua strategies: print what the script wrote with print()/log().")
    var showLog = false

    @Option(name: .customLong("param"), help: ArgumentHelp("Strategy parameter, repeatable: --param fast=10.", valueName: "name=value"))
    var parameters: [String] = []

    @OptionGroup(title: "Account") var account: AccountOptions

    @Option(name: .long, help: ArgumentHelp("Randomized testing: number of random windows.", valueName: "n"))
    var runs: Int?

    @Option(name: .long, help: ArgumentHelp("Randomized testing: window length (90m, 12h, 7d, 2w).", valueName: "span"))
    var duration: String?

    @Option(name: .long, help: ArgumentHelp("Randomized testing: seed of the window draw.", valueName: "n"))
    var seed: UInt64 = 42

    @Option(name: .long, help: ArgumentHelp("Write the run's files here: summary.json, results.json, equity.parquet, trades.parquet, orders.parquet.", valueName: "dir"))
    var out: String?

    @Flag(name: .long, help: "With --out: also write equity.csv, trades.csv, orders.csv (and runs.csv for randomized runs).")
    var csv = false

    @Flag(name: .long, help: "Print the results (with every trade, without curves) as JSON instead of the report.")
    var json = false

    @Option(name: .customLong("last-trades"), help: ArgumentHelp("Trades listed in the report.", valueName: "n"))
    var lastTrades = 10

    @Option(name: .customLong("risk-free"), help: ArgumentHelp("Annual risk-free rate for Sharpe and Sortino (default 0).", valueName: "rate"))
    var riskFree: Double = 0

    func validate() throws {
        if !dataOptions.isGiven { throw ValidationError("missing --data FILE (CSV or Parquet) or --symbol SYMBOL --timeframe TF") }
        if runs != nil, duration == nil { throw ValidationError("--runs needs --duration (e.g. --duration 7d)") }
        if duration != nil, runs == nil { throw ValidationError("--duration needs --runs (e.g. --runs 20)") }
        if lastTrades < 0 { throw ValidationError("--last-trades must be >= 0") }
        if csv, out == nil { throw ValidationError("--csv needs --out DIR") }
    }

    func run() async throws {
        let job = try makeJob()
        let bar = ProgressBar(job.randomized == nil ? "backtest" : "randomized")
        let outcome: RunOutcome
        do {
            outcome = try JobRunner(job: job, parallelism: ProcessInfo.processInfo.activeProcessorCount).run(observer: ProgressObserver(bar))
        } catch {
            bar.finish()
            if showLog, !error.log.isEmpty { printLog(error.log) }
            throw CLIError(error.message)
        }
        bar.finish()
        guard let results = outcome.results else { throw CLIError("the run produced no results") }
        if !json { for note in outcome.notes { printError("note: \(note)") } }
        if let out { try RunArtifacts.write(results, outcome: outcome, to: out, csv: csv) }
        if json {
            var printed = results.view(maxPoints: nil, tradesLimit: nil).summary
            printed.trades = results.trades
            printed.runs = results.runs?.map { var row = $0; row.equity = nil; return row }
            FileHandle.standardOutput.write(try JSONCoding.encode(printed) + Data("\n".utf8))
            return
        }
        print(Report.header(strategy: results.strategy, source: results.data.source, timeframe: outcome.timeframe, bars: outcome.bars, config: job.account))
        if let randomized = job.randomized {
            print(Report.randomized(RandomizedReport(runs: outcome.runs, seed: randomized.seed, duration: randomized.duration), lastTrades: lastTrades))
        } else {
            print(Report.single(outcome.runs[0].result, metrics: results.metrics ?? outcome.runs[0].result.metrics(options: job.metrics), lastTrades: lastTrades))
        }
        let t = results.timings
        print(String(format: "\n  Time: load %.1f ms · indicators %.1f ms · engine %.1f ms · total %.1f ms", t.loadMs, t.indicatorsMs, t.engineMs, t.totalMs))
        if let out { print("\n  Files: \(out)/summary.json, results.json, equity.parquet, trades.parquet, orders.parquet\(csv ? " and the CSV files" : "")") }
        if showLog { printLog(outcome.log) } else if !outcome.log.isEmpty { print("\n  The script wrote \(outcome.log.count) log line(s): --show-log prints them.") }
    }

    /// The job these flags describe (the CLI's edge: decoded once, typed from here on).
    private func makeJob() throws -> RunJob {
        let strategy = try StrategyArguments.reference(self.strategy)
        let randomized = try runs.map { n in RandomizedWindows(runs: n, duration: try TimeSpan(parsing: duration ?? ""), seed: seed) }
        return RunJob(strategy: strategy, parameters: try StrategyArguments.parameters(parameters), data: dataOptions.query, account: try account.config(),
                      randomized: randomized, limits: sandbox.limits,
                      metrics: MetricsOptions(riskFreeRate: riskFree))
    }

    private func printLog(_ log: [LuaLogLine]) {
        print("\n  Script log (\(log.count) lines)")
        for line in log { print("  [bar \(line.bar)] \(line.text)") }
    }
}

/// Draws a run's progress: bars for one run, runs for randomized windows.
private final class ProgressObserver: RunObserver, @unchecked Sendable {
    let bar: ProgressBar
    init(_ bar: ProgressBar) { self.bar = bar }

    func progressed(done: Int, total: Int, state: () -> LiveState?) {
        bar.update(Double(done) / Double(max(1, total)), detail: "\(done)/\(total) bars")
    }

    func runFinished(done: Int, total: Int) {
        if total > 1 { bar.update(Double(done) / Double(total), detail: "\(done)/\(total) runs") }
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

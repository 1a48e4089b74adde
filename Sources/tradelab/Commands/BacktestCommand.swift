import ArgumentParser
import Foundation
import TradelabCore
import TradelabData
import TradelabLua

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

    @Option(name: .customLong("memory-limit"), help: ArgumentHelp("Lua strategies: memory cap in MiB (default 64).", valueName: "MiB"))
    var memoryLimit = 64

    @Option(name: .customLong("time-limit"), help: ArgumentHelp("Lua strategies: wall-clock limit per run in seconds (default 600).", valueName: "s"))
    var timeLimit = 600.0

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

    @Option(name: .long, help: ArgumentHelp("Write summary.json, trades.csv, equity.csv and orders.csv here.", valueName: "dir"))
    var out: String?

    @Flag(name: .long, help: "Print the summary and trades as JSON instead of the report.")
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
    }

    func run() async throws {
        let config = try account.config()
        let options = MetricsOptions(riskFreeRate: riskFree)
        try options.validate()
        let (bars, timeframe, notes) = try dataOptions.load()
        if !json { for note in notes { printError("note: \(note)") } }
        let source = dataOptions.sourceName
        let info = DataInfo(source: source, timeframe: timeframe, bars: bars)
        let symbol = dataOptions.symbol?.uppercased() ?? DataCatalog.nameParts(source).symbol
        let selected = try selectStrategy(symbol: symbol, timeframe: timeframe)

        if let runs, let duration {
            let span = try TimeSpan(parsing: duration)
            switch selected {
            case .native(let s): try await runRandomized(s, bars: bars, config: config, runs: runs, duration: span, info: info, timeframe: timeframe, options: options)
            case .lua(let s): try await runRandomized(s, bars: bars, config: config, runs: runs, duration: span, info: info, timeframe: timeframe, options: options)
            }
            return
        }
        let bar = ProgressBar("backtest")
        let progress = { (fraction: Double) -> Bool in
            bar.update(fraction, detail: "\(Int(fraction * Double(bars.count)))/\(bars.count) bars")
            return true
        }
        let result: BacktestResult
        var log: [LuaLogLine] = []
        switch selected {
        case .native(let s):
            result = try Backtester(config: config).run(s, on: bars, progressInterval: 1 << 17, progress: progress)
        case .lua(let s):
            var session = try BacktestSession(strategy: s, bars: bars, config: config)
            while !session.isFinished {
                session.advance(by: 1 << 15)
                _ = progress(session.progress)
            }
            log = session.strategy.log
            if let failure = session.failure {
                bar.finish()
                if showLog { printLog(log) }
                throw failure
            }
            result = session.result()
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
            if showLog { printLog(log) } else if !log.isEmpty { print("\n  The script wrote \(log.count) log line(s): --show-log prints them.") }
        }
    }

    /// A built-in strategy or a Lua script.
    enum Selected {
        case native(NativeStrategy)
        case lua(LuaStrategy)
    }

    /// The strategy named by `--strategy`: a `.lua` file is read and its parameters resolved.
    private func selectStrategy(symbol: String, timeframe: Timeframe?) throws -> Selected {
        let parameters = try parseParameters()
        guard strategy.hasSuffix(".lua") else {
            return .native(try NativeStrategy(name: strategy, parameters: parameters))
        }
        guard let text = try? String(contentsOfFile: strategy, encoding: .utf8) else {
            throw CLIError("cannot read strategy file \(strategy)")
        }
        guard memoryLimit >= 1, timeLimit > 0 else { throw ValidationError("--memory-limit and --time-limit must be positive") }
        let limits = LuaLimits(memoryBytes: memoryLimit << 20, timeLimit: timeLimit)
        return .lua(try LuaStrategy(source: text, fileName: URL(fileURLWithPath: strategy).lastPathComponent, parameters: parameters,
                                    limits: limits, symbol: symbol, timeframe: timeframe?.rawValue ?? ""))
    }

    private func printLog(_ log: [LuaLogLine]) {
        print("\n  Script log (\(log.count) lines)")
        for line in log { print("  [bar \(line.bar)] \(line.text)") }
    }

    private func runRandomized<S: Strategy>(_ native: S, bars: BarSeries, config: AccountConfig, runs: Int, duration: TimeSpan,
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

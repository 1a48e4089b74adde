import ArgumentParser
import Foundation
import TradelabCore
import TradelabRun

/// `tradelab optimize`: a grid, random or genetic search over a strategy's parameters, every
/// trial a full backtest with the account options of `tradelab backtest`.
struct OptimizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "Search a strategy's parameters for the best value of an objective.",
        discussion: """
        Every trial is a full backtest with the account options given (the same numbers as \
        `tradelab backtest --param ...`). Ranges: --param-range fast=5:50:5 (start:stop:step, \
        inclusive), fast=5,10,20 (a list), x=0.5:2.0:0.25 (floats). The report lists the top \
        trials, draws a heatmap for two parameters and says how many trials the best was \
        chosen from. See docs/optimize.md.
        """
    )

    @OptionGroup(title: "Data") var dataOptions: DataOptions

    @Option(name: .long, help: ArgumentHelp("A .lua strategy file, or a built-in: \(NativeStrategy.catalog.map(\.name).joined(separator: ", ")).", valueName: "name|file.lua"))
    var strategy = "sma-cross"

    @Option(name: .customLong("param-range"), help: ArgumentHelp("A searched parameter, repeatable: fast=5:50:5, fast=5,10,20 or x=0.5:2:0.25.", valueName: "name=range"))
    var ranges: [String] = []

    @Option(name: .customLong("param"), help: ArgumentHelp("A fixed parameter, repeatable: --param stop=2.", valueName: "name=value"))
    var parameters: [String] = []

    @Option(name: .long, help: ArgumentHelp("A rule the parameters follow, repeatable: --constraint 'fast<slow'.", valueName: "rule"))
    var constraint: [String] = []

    @Option(name: .long, help: ArgumentHelp("grid (every combination, the default), random or genetic.", valueName: "method"))
    var method = "grid"

    @Option(name: .long, help: ArgumentHelp("random: combinations drawn (default 100).", valueName: "n"))
    var trials: Int?

    @Option(name: .long, help: ArgumentHelp("genetic: individuals per generation (default 40).", valueName: "n"))
    var population: Int?

    @Option(name: .long, help: ArgumentHelp("genetic: most generations (default 20).", valueName: "n"))
    var generations: Int?

    @Option(name: .long, help: ArgumentHelp("genetic: stop when the best has not improved for this many generations (default 5).", valueName: "n"))
    var patience: Int?

    @Option(name: .long, help: ArgumentHelp("What to maximize: \(Objective.allCases.map(\.rawValue).joined(separator: ", ")) (maxDrawdown: the shallowest).", valueName: "metric"))
    var objective = "sharpe"

    @Option(name: .customLong("min-trades"), help: ArgumentHelp("Trials with fewer closed trades do not count.", valueName: "n"))
    var minTrades: Int?

    @Option(name: .customLong("max-drawdown"), help: ArgumentHelp("Trials with a deeper drawdown do not count: 30% or 0.3.", valueName: "depth"))
    var maxDrawdown: String?

    @Option(name: .long, help: ArgumentHelp("Seed of the random and genetic searches.", valueName: "n"))
    var seed: UInt64 = 42

    @Option(name: .customLong("walk-forward"), help: ArgumentHelp("Also run a walk-forward test with this many folds: each fold optimized in sample, its best tested on the bars after.", valueName: "n"))
    var walkForward: Int?

    @Option(name: .customLong("in-sample"), help: ArgumentHelp("Walk-forward: the in-sample share of each fold, 70% or 0.7 (default 70%).", valueName: "share"))
    var inSample: String?

    @Flag(name: .long, help: "Walk-forward: every in-sample window starts at the first bar (default: rolling windows).")
    var anchored = false

    @Option(name: .customLong("monte-carlo"), help: ArgumentHelp("Resample the best trial's trades this many times (shuffled and bootstrapped).", valueName: "n"))
    var monteCarlo: Int?

    @OptionGroup(title: "Account") var account: AccountOptions

    @OptionGroup(title: "Sandbox (each trial)") var sandbox: SandboxLimitOptions

    @Option(name: .long, help: ArgumentHelp("Trials run at once (default: every core).", valueName: "n"))
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: ArgumentHelp("Trials listed in the report (default 10).", valueName: "n"))
    var top = 10

    @Option(name: .long, help: ArgumentHelp("Write trials.csv, best.json and summary.json here.", valueName: "dir"))
    var out: String?

    @Flag(name: .long, help: "Print the results as JSON instead of the report.")
    var json = false

    func validate() throws {
        if !dataOptions.isGiven { throw ValidationError("missing --data FILE (CSV or Parquet) or --symbol SYMBOL --timeframe TF") }
        if ranges.isEmpty { throw ValidationError("give at least one --param-range, e.g. --param-range fast=5:50:5") }
        if trials != nil, method != "random" { throw ValidationError("--trials goes with --method random") }
        if population != nil || generations != nil || patience != nil, method != "genetic" {
            throw ValidationError("--population, --generations and --patience go with --method genetic")
        }
        if inSample != nil || anchored, walkForward == nil { throw ValidationError("--in-sample and --anchored go with --walk-forward N") }
        guard jobs >= 1, top >= 0 else { throw ValidationError("--jobs must be positive, --top >= 0") }
    }

    func run() async throws {
        let job = try makeJob()
        let bar = ProgressBar("optimize")
        let results: OptimizationResults
        do {
            results = try Optimizer(job: job, parallelism: jobs).run { p in
                let phase = p.phase == .walkForward ? " (walk-forward)" : ""
                bar.update(Double(p.done) / Double(max(1, p.total)),
                           detail: "\(p.done)/\(p.total) trials\(phase)" + (p.best?.objective.map { String(format: " · best %.4g", $0) } ?? ""))
            }
        } catch {
            bar.finish()
            throw CLIError(error.message)
        }
        bar.finish()
        if let out { try OptimizationArtifacts.write(results, to: out) }
        if json {
            FileHandle.standardOutput.write(try JSONCoding.encode(results) + Data("\n".utf8))
            return
        }
        print(OptimizationReport.text(results, space: job.space, top: top))
        if let out { print("\n  Files: \(out)/trials.csv, best.json, summary.json") }
    }

    /// The job these flags describe.
    private func makeJob() throws -> OptimizationJob {
        let reference = try StrategyArguments.reference(self.strategy)
        let fixed = try StrategyArguments.parameters(parameters)
        do {
            let space = try ParameterSpace(ranges: try ranges.map { text throws(OptimizeError) in try ParameterRange(parsing: text) },
                                           constraints: try constraint.map { text throws(OptimizeError) in try ParameterConstraint(parsing: text) },
                                           fixed: fixed)
            if let clash = space.ranges.first(where: { fixed[$0.name] != nil }) {
                throw CLIError("'\(clash.name)' is both searched (--param-range) and fixed (--param)")
            }
            let searchMethod: SearchMethod
            switch method {
            case "grid": searchMethod = .grid
            case "random": searchMethod = .random(trials: trials ?? 100)
            case "genetic":
                let d = GeneticOptions()
                searchMethod = .genetic(GeneticOptions(population: population ?? d.population, generations: generations ?? d.generations,
                                                       patience: patience ?? d.patience))
            default: throw CLIError("--method must be grid, random or genetic, was '\(method)'")
            }
            let base = RunJob(strategy: reference, parameters: fixed, data: dataOptions.query, account: try account.config(),
                              limits: sandbox.limits)
            return OptimizationJob(base: base, space: space, method: searchMethod, objective: try Objective(parsing: objective),
                                   filter: TrialFilter(minTrades: minTrades, maxDrawdown: try maxDrawdown.map { try parseShare($0, option: "--max-drawdown") }),
                                   seed: seed,
                                   walkForward: try walkForward.map { WalkForwardOptions(folds: $0, inSample: try inSample.map { try parseShare($0, option: "--in-sample") } ?? 0.7,
                                                                                          anchored: anchored) },
                                   monteCarlo: monteCarlo)
        } catch let error as OptimizeError {
            throw CLIError(error.message)
        }
    }

    /// "30%" or "0.3" as 0.3 (a number above 1 is a percentage too).
    private func parseShare(_ text: String, option: String) throws -> Double {
        let percent = text.hasSuffix("%")
        guard let v = Double(percent ? String(text.dropLast()) : text), v > 0, v.isFinite else {
            throw CLIError("\(option) must be a share such as 30% or 0.3, was '\(text)'")
        }
        let share = percent || v > 1 ? v / 100 : v
        guard share <= 1 else { throw CLIError("\(option) must be at most 100%, was '\(text)'") }
        return share
    }
}

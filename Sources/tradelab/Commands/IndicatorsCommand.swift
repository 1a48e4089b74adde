import ArgumentParser
import Foundation
import TradelabCore
import TradelabData

/// `tradelab indicators`: the bars plus requested indicator columns, as CSV.
struct IndicatorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators",
        abstract: "Compute indicators over bars and write them as CSV columns.",
        discussion: "Indicators: \(IndicatorSpec.catalog.map(\.name).joined(separator: ", ")). Warm-up rows are empty cells."
    )

    @OptionGroup(title: "Data") var dataOptions: DataOptions

    @Option(name: .customLong("indicator"), help: ArgumentHelp("Indicator with parameters, repeatable: sma:20, macd:12,26,9, bbands:20,2.", valueName: "spec"))
    var indicators: [String] = []

    @Option(name: .long, help: ArgumentHelp("Output CSV file (default: standard output).", valueName: "file"))
    var out: String?

    @Flag(name: .customLong("list"), help: "List the available indicators and their parameters.")
    var list = false

    func validate() throws {
        if list { return }
        if !dataOptions.isGiven { throw ValidationError("missing --data FILE (CSV or Parquet) or --symbol SYMBOL --timeframe TF") }
        if indicators.isEmpty { throw ValidationError("give at least one --indicator (e.g. --indicator rsi:14), or --list") }
    }

    func run() throws {
        if list {
            let rows = IndicatorSpec.catalog.map { info in
                [info.example, info.parameters.map { "\($0.name)=\(formatNumber($0.defaultValue))" }.joined(separator: " "),
                 info.outputs.joined(separator: ", "), info.summary]
            }
            print(Report.table(["spec", "defaults", "outputs", "what"], rows))
            print("\n  Single-series indicators take a source: sma:20@hl2 (open high low close volume hl2 hlc3 ohlc4).")
            return
        }
        let specs = try indicators.map { text throws(IndicatorError) in try IndicatorSpec(parsing: text) }
        let (bars, _, notes) = try dataOptions.load()
        for note in notes { printError("note: \(note)") }
        var columns: [(name: String, values: [Double])] = []
        for spec in specs {
            for (name, values) in zip(spec.outputNames, spec.compute(on: bars)) where !columns.contains(where: { $0.name == name }) {
                columns.append((name, values))
            }
        }
        let bytes = CSVWriter().encode(bars, extras: columns)
        if let out {
            try AtomicFile.write(Data(bytes), to: out)
            printError("wrote \(bars.count) rows with \(columns.map(\.name).joined(separator: ", ")) to \(out)")
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
    }
}

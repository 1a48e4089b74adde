import ArgumentParser
import Foundation
import TradelabCore
import TradelabData

/// `tradelab data`: data utilities.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Generate and inspect market data.",
        subcommands: [ListCommand.self, InfoCommand.self, ImportCommand.self, ResampleCommand.self, ConvertCommand.self, SampleCommand.self, FetchCommand.self]
    )

    /// `tradelab data sample`: the synthetic sample data set.
    struct SampleCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sample",
            abstract: "Write deterministic synthetic 1m bars for the curated symbols (not market data).")

        @Option(name: .long, help: ArgumentHelp("Directory to write <SYMBOL>_1m.csv files into.", valueName: "dir"))
        var out = "data"

        @Option(name: .long, help: ArgumentHelp("Days of history per symbol.", valueName: "n"))
        var days = 30

        @Option(name: .long, help: ArgumentHelp("Seed: same seed, same bars.", valueName: "n"))
        var seed: UInt64 = 1

        @Option(name: .customLong("symbol"), help: ArgumentHelp("Only these symbols (repeatable).", valueName: "symbol"))
        var symbols: [String] = []

        func validate() throws {
            if days < 1 || days > 3650 { throw ValidationError("--days must be between 1 and 3650") }
        }

        func run() throws {
            let chosen = try symbols.isEmpty ? SampleData.symbols : symbols.map { name in
                guard let s = SampleData.symbols.first(where: { $0.name == name.uppercased() }) else {
                    throw ValidationError("unknown sample symbol '\(name)'; available: \(SampleData.symbols.map(\.name).joined(separator: " "))")
                }
                return s
            }
            let bar = ProgressBar("sample data")
            for (k, symbol) in chosen.enumerated() {
                try SampleData.writeAll(to: out, days: days, seed: seed, symbols: [symbol])
                bar.update(Double(k + 1) / Double(chosen.count), detail: symbol.name)
            }
            bar.finish()
            print("wrote \(chosen.count) synthetic 1m data sets (\(days) days, seed \(seed)) to \(out)/")
        }
    }

    /// `tradelab data info`: what a file holds.
    struct InfoCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "info", abstract: "Describe a data file: rows, range, timeframe, columns.")

        @Argument(help: ArgumentHelp("Data file (CSV or Parquet).", valueName: "file"))
        var file: String

        func run() throws {
            let loaded = try MarketDataFile.load(path: file)
            let bars = loaded.bars
            let rows: [[String]] = [
                ["file", file],
                ["bars", Report.grouped(bars.count)],
                ["from", bars.timestamps.first.map { UTCTime.format($0) } ?? "-"],
                ["to", bars.timestamps.last.map { UTCTime.format($0) } ?? "-"],
                ["timeframe", loaded.timeframe?.rawValue ?? "irregular"],
                ["time column", "\(loaded.timeColumn) (\(loaded.timeFormat))"],
                ["columns", (["open", "high", "low", "close", "volume"] + bars.featureNames).joined(separator: ", ")],
            ] + (loaded.skippedColumns.isEmpty ? [] : [["skipped", loaded.skippedColumns.joined(separator: ", ")]])
                + loaded.notes.map { ["note", $0] }
            print(Report.table(["", ""], rows))
        }
    }
}

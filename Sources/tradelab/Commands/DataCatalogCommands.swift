import ArgumentParser
import Foundation
import TradelabCore
import TradelabData

extension DataCommand {
    /// `tradelab data list`: the catalog of a data directory.
    struct ListCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the datasets of the data directory.")

        @Option(name: .customLong("data-dir"), help: ArgumentHelp("Data directory.", valueName: "dir"))
        var dataDirectory = "data"

        @Flag(name: .long, help: "Print the catalog as JSON.")
        var json = false

        func run() throws {
            let bar = ProgressBar("indexing")
            let catalog = try DataCatalog(directory: dataDirectory) { done, total in
                bar.update(Double(done) / Double(total), detail: "\(done)/\(total) files")
            }
            bar.finish()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(catalog.entries), as: UTF8.self))
                return
            }
            guard !catalog.entries.isEmpty else {
                print("No datasets in \(dataDirectory)/. Add some with `tradelab data import FILE --symbol S` or `tradelab data sample`.")
                return
            }
            let rows = catalog.entries.map { e in
                [e.symbol, e.timeframe ?? "?", UTCTime.short(e.from), UTCTime.short(e.to), Report.grouped(e.rows),
                 e.columns.dropFirst(5).joined(separator: " "), e.path]
            }
            print(Report.table(["symbol", "tf", "from", "to", "bars", "extra columns", "file"], rows))
            for problem in catalog.problems { printError("skipped \(problem.path): \(problem.reason)") }
        }
    }

    /// `tradelab data import`: copy a file into the data directory under its symbol and timeframe.
    struct ImportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Validate a data file and add it to the data directory as SYMBOL_TIMEFRAME.csv.")

        @Argument(help: ArgumentHelp("CSV or Parquet file (Binance kline dumps included).", valueName: "file"))
        var file: String

        @Option(name: .long, help: ArgumentHelp("Symbol to file it under.", valueName: "symbol"))
        var symbol: String

        @Option(name: .long, help: ArgumentHelp("Timeframe; coarser than the file's resamples (default: detected).", valueName: "tf"))
        var timeframe: String?

        @Option(name: .customLong("data-dir"), help: ArgumentHelp("Data directory.", valueName: "dir"))
        var dataDirectory = "data"

        @Option(name: .long, help: ArgumentHelp("Stored format: csv or parquet.", valueName: "format"))
        var format = "csv"

        @Flag(name: .long, help: "Replace an existing dataset of the same symbol and timeframe.")
        var force = false

        func run() throws {
            let loaded = try MarketDataFile.load(path: file)
            var bars = loaded.bars
            var tf = loaded.timeframe
            if let text = timeframe {
                let target = try Timeframe(parsing: text)
                if let source = tf, target < source {
                    throw CLIError("\(file) holds \(source) bars; cannot import it as the finer \(target)")
                }
                if target != tf { bars = bars.resampled(to: target) }
                tf = target
            }
            guard let tf else {
                throw CLIError("cannot tell the timeframe of \(file) (irregular bars); give --timeframe")
            }
            guard ["csv", "parquet"].contains(format) else { throw ValidationError("--format must be csv or parquet") }
            let name = "\(symbol.uppercased())_\(tf.rawValue).\(format)"
            let target = dataDirectory + "/" + name
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            if FileManager.default.fileExists(atPath: target), !force {
                throw CLIError("\(target) exists; add --force to replace it")
            }
            try MarketDataFile.write(bars, to: target, createdBy: "tradelab version \(TradelabVersion.current)")
            for note in loaded.notes { printError("note: \(note)") }
            print("imported \(Report.grouped(bars.count)) \(tf) bars of \(symbol.uppercased()) (\(UTCTime.short(bars.timestamps.first ?? 0)) → \(UTCTime.short(bars.timestamps.last ?? 0))) as \(target)")
        }
    }

    /// `tradelab data resample`: a coarser timeframe of a file.
    struct ResampleCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "resample", abstract: "Write a file's bars at a coarser timeframe.")

        @Argument(help: ArgumentHelp("Input data file.", valueName: "file"))
        var file: String

        @Option(name: .long, help: ArgumentHelp("Target timeframe (1m 5m 15m 30m 1h 4h 1d 1w).", valueName: "tf"))
        var timeframe: String

        @Option(name: .long, help: ArgumentHelp("Output file (.csv or .parquet).", valueName: "file"))
        var out: String

        func run() throws {
            let loaded = try MarketDataFile.load(path: file)
            let target = try Timeframe(parsing: timeframe)
            if let source = loaded.timeframe, target < source {
                throw CLIError("\(file) holds \(source) bars; cannot resample to the finer \(target)")
            }
            let bars = loaded.bars.resampled(to: target)
            try MarketDataFile.write(bars, to: out, createdBy: "tradelab version \(TradelabVersion.current)")
            print("wrote \(Report.grouped(bars.count)) \(target) bars to \(out)")
        }
    }

    /// `tradelab data convert`: CSV <-> Parquet.
    struct ConvertCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "convert", abstract: "Convert a data file between CSV and Parquet (by extension).")

        @Argument(help: ArgumentHelp("Input file.", valueName: "in"))
        var input: String

        @Argument(help: ArgumentHelp("Output file.", valueName: "out"))
        var output: String

        func run() throws {
            let loaded = try MarketDataFile.load(path: input)
            try MarketDataFile.write(loaded.bars, to: output, createdBy: "tradelab version \(TradelabVersion.current)")
            print("wrote \(Report.grouped(loaded.bars.count)) bars to \(output)")
        }
    }
}

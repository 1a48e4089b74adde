import ArgumentParser
import Foundation
import TradelabCore
import TradelabData

/// Where the bars come from: `--data FILE`, optionally resampled and cut to a time range.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Data file with OHLCV bars (CSV or Parquet).", valueName: "file"))
    var data: String?

    @Option(name: .long, help: ArgumentHelp("Or: a symbol from the data directory's catalog (with --timeframe).", valueName: "symbol"))
    var symbol: String?

    @Option(name: .customLong("data-dir"), help: ArgumentHelp("Data directory for --symbol (default ./data).", valueName: "dir"))
    var dataDirectory = "data"

    @Option(name: .long, help: ArgumentHelp("With --symbol: the catalog source when there are several (e.g. binance, or . for top-level files).", valueName: "name"))
    var source: String?

    @Option(name: .long, help: ArgumentHelp("Resample to this timeframe (1m 5m 15m 30m 1h 4h 1d 1w) before running.", valueName: "tf"))
    var timeframe: String?

    @Option(name: .long, help: ArgumentHelp("First bar time to use (2024-01-31, 2024-01-31T12:00Z or epoch).", valueName: "time"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("End of the range, exclusive.", valueName: "time"))
    var to: String?

    /// Loads, resamples and cuts the bars.
    /// - Returns: The bars, their timeframe if known, and the loader's notes for the user.
    /// Whether a data source was given (`--data` or `--symbol`).
    var isGiven: Bool { data != nil || symbol != nil }

    /// The name shown in reports: the file name, or "SYMBOL (catalog)".
    var sourceName: String {
        if let data { return URL(fileURLWithPath: data).lastPathComponent }
        return symbol.map { "\($0.uppercased()) (\(dataDirectory))" } ?? ""
    }

    func load() throws -> (bars: BarSeries, timeframe: Timeframe?, notes: [String]) {
        if data != nil, symbol != nil { throw ValidationError("give --data FILE or --symbol SYMBOL, not both") }
        if let symbol {
            guard let text = timeframe else { throw ValidationError("--symbol needs --timeframe (e.g. --timeframe 1h)") }
            let tf = try Timeframe(parsing: text)
            let bars = try DataCatalog(directory: dataDirectory).load(
                symbol: symbol, timeframe: tf,
                from: try from.map { text throws(MarketDataError) in try UTCTime.parse(text) },
                to: try to.map { text throws(MarketDataError) in try UTCTime.parse(text) }, source: source)
            if bars.isEmpty { throw CLIError("no \(symbol) bars between \(from ?? "the start") and \(to ?? "the end")") }
            return (bars, tf, [])
        }
        guard let data else { throw ValidationError("missing --data FILE (CSV or Parquet) or --symbol SYMBOL --timeframe TF") }
        let loaded = try MarketDataFile.load(path: data)
        var bars = loaded.bars
        var timeframe = loaded.timeframe
        var notes = loaded.notes
        if let text = self.timeframe {
            let target = try Timeframe(parsing: text)
            if let source = timeframe, target < source {
                throw CLIError("cannot resample \(data) from \(source) to the finer timeframe \(target)")
            }
            if target != timeframe {
                bars = bars.resampled(to: target)
                notes.append("resampled from \(timeframe?.rawValue ?? "unknown timeframe") to \(target): \(bars.count) bars")
                timeframe = target
            }
        }
        if from != nil || to != nil {
            let lower = try from.map { text throws(MarketDataError) in try UTCTime.parse(text) }
            let upper = try to.map { text throws(MarketDataError) in try UTCTime.parse(text) }
            bars = bars.between(from: lower, to: upper)
            if bars.isEmpty {
                throw CLIError("no bars in \(data) between \(from ?? "the start") and \(to ?? "the end")")
            }
        }
        return (bars, timeframe, notes)
    }
}

/// A user-facing error: printed as one line, exit code 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

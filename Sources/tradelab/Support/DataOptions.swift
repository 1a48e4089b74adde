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

    /// Whether a data source was given (`--data` or `--symbol`).
    var isGiven: Bool { data != nil || symbol != nil }

    /// The query these options describe.
    var query: BarQuery {
        BarQuery(file: data, symbol: symbol, timeframe: timeframe, from: from, to: to, source: source, directory: dataDirectory)
    }

    /// The name shown in reports: the file name, or "SYMBOL (catalog)".
    var sourceName: String { query.sourceName }

    /// Loads, resamples and cuts the bars.
    /// - Returns: The bars, their timeframe if known, and the loader's notes for the user.
    func load() throws -> (bars: BarSeries, timeframe: Timeframe?, notes: [String]) {
        let loaded = try query.load()
        return (loaded.bars, loaded.timeframe, loaded.notes)
    }
}

/// A user-facing error: printed as one line, exit code 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

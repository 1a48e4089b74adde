import ArgumentParser
import TradelabCore
import TradelabData

/// Where the bars come from: `--data FILE`, optionally resampled and cut to a time range.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("CSV file with OHLCV bars (required).", valueName: "file"))
    var data: String?

    @Option(name: .long, help: ArgumentHelp("Resample to this timeframe (1m 5m 15m 30m 1h 4h 1d 1w) before running.", valueName: "tf"))
    var timeframe: String?

    @Option(name: .long, help: ArgumentHelp("First bar time to use (2024-01-31, 2024-01-31T12:00Z or epoch).", valueName: "time"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("End of the range, exclusive.", valueName: "time"))
    var to: String?

    /// Loads, resamples and cuts the bars.
    /// - Returns: The bars, their timeframe if known, and the loader's notes for the user.
    func load() throws -> (bars: BarSeries, timeframe: Timeframe?, notes: [String]) {
        guard let data else { throw ValidationError("missing --data FILE (a CSV file with OHLCV bars)") }
        let loaded = try CSVLoader.load(path: data)
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

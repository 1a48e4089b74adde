import Foundation
import TradelabCore

/// Which bars a run uses: a file, or a symbol from a data directory's catalog; optionally resampled
/// and cut to a time range. The CLI's data options and the server's workers both resolve bars
/// through it, so they accept the same inputs and give the same errors.
///
/// ```swift
/// let query = BarQuery(symbol: "BTCUSDT", timeframe: "15m", from: "2024-01-05", directory: "data")
/// let loaded = try query.load()   // loaded.bars, loaded.timeframe, loaded.notes
/// ```
public struct BarQuery: Sendable, Codable, Equatable {
    /// A CSV or Parquet file (absolute, or relative to the working directory).
    public var file: String?
    /// Or: a symbol in ``directory``'s catalog (needs ``timeframe``).
    public var symbol: String?
    /// Target timeframe (`15m`, `1h`, ...): resamples a file, selects the catalog's bars.
    public var timeframe: String?
    /// First bar time (ISO 8601 date or time, or epoch), inclusive.
    public var from: String?
    /// End of the range, exclusive.
    public var to: String?
    /// The catalog source when a symbol has several (e.g. `binance`, or `.` for top-level files).
    public var source: String?
    /// Data directory of the catalog.
    public var directory: String

    /// Creates a query.
    public init(file: String? = nil, symbol: String? = nil, timeframe: String? = nil, from: String? = nil, to: String? = nil,
                source: String? = nil, directory: String = "data") {
        self.file = file
        self.symbol = symbol
        self.timeframe = timeframe
        self.from = from
        self.to = to
        self.source = source
        self.directory = directory
    }

    /// Bars with what the loader noticed.
    public struct Loaded: Sendable {
        /// The bars.
        public var bars: BarSeries
        /// Their timeframe, when known.
        public var timeframe: Timeframe?
        /// Notes for the user (reversed order, resampling, ...).
        public var notes: [String]
    }

    /// The name shown in reports: the file name, or "SYMBOL (folder name)"; never a full path.
    public var sourceName: String {
        if let file { return URL(fileURLWithPath: file).lastPathComponent }
        return symbol.map { "\($0.uppercased()) (\(URL(fileURLWithPath: directory).lastPathComponent))" } ?? ""
    }

    /// Loads, resamples and cuts the bars.
    /// - Throws: ``BarQueryError`` for a bad query or an empty range, ``DataFileError`` for an
    ///   unreadable file, ``MarketDataError`` for a bad time.
    public func load() throws -> Loaded {
        if file != nil, symbol != nil { throw BarQueryError("give a data file or a symbol, not both") }
        let lower = try from.map { text throws(MarketDataError) in try UTCTime.parse(text) }
        let upper = try to.map { text throws(MarketDataError) in try UTCTime.parse(text) }
        let range = "between \(from ?? "the start") and \(to ?? "the end")"
        if let symbol {
            guard let text = timeframe else { throw BarQueryError("a symbol needs a timeframe (e.g. 1h)") }
            let tf = try Timeframe(parsing: text)
            let bars = try DataCatalog(directory: directory).load(symbol: symbol, timeframe: tf, from: lower, to: upper, source: source)
            if bars.isEmpty { throw BarQueryError("no \(symbol) bars \(range)") }
            return Loaded(bars: bars, timeframe: tf, notes: [])
        }
        guard let file else { throw BarQueryError("missing data: a file (CSV or Parquet) or a symbol and timeframe") }
        let loaded = try MarketDataFile.load(path: file)
        var result = Loaded(bars: loaded.bars, timeframe: loaded.timeframe, notes: loaded.notes)
        if let text = timeframe {
            let target = try Timeframe(parsing: text)
            if let source = result.timeframe, target < source {
                throw BarQueryError("cannot resample \(file) from \(source) to the finer timeframe \(target)")
            }
            if target != result.timeframe {
                result.bars = result.bars.resampled(to: target)
                result.notes.append("resampled from \(result.timeframe?.rawValue ?? "unknown timeframe") to \(target): \(result.bars.count) bars")
                result.timeframe = target
            }
        }
        if lower != nil || upper != nil {
            result.bars = result.bars.between(from: lower, to: upper)
            if result.bars.isEmpty { throw BarQueryError("no bars in \(file) \(range)") }
        }
        return result
    }
}

/// A query that cannot be answered: conflicting or missing inputs, or no bars in the range.
public struct BarQueryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was wrong.
    public let description: String

    /// Creates an error with its message.
    public init(_ description: String) { self.description = description }
}

import Foundation
import TradelabCore

/// One dataset in a data directory.
public struct CatalogEntry: Sendable, Codable, Equatable {
    /// Path relative to the data directory.
    public var path: String
    /// Symbol, from the file name (`BTCUSDT_1m.csv`, `BTCUSDT-1m-2024-01.csv`) or its folder.
    public var symbol: String
    /// Timeframe: from the name when it carries one, else detected from the bars.
    public var timeframe: String?
    /// First bar time, UTC ms.
    public var from: Int64
    /// Last bar time, UTC ms.
    public var to: Int64
    /// Number of bars.
    public var rows: Int
    /// Columns: open, high, low, close, volume and the extra numeric ones.
    public var columns: [String]
    /// File size in bytes and modification time (seconds), to notice changes.
    public var size: Int64
    /// Modification time, seconds since the epoch.
    public var modified: Double

    /// Where the dataset came from: its top folder (`binance` for fetched klines), or "." for a
    /// file at the top of the data directory. Datasets of different sources are never mixed.
    public var source: String {
        let parts = path.split(separator: "/")
        return parts.count > 1 ? String(parts[0]) : "."
    }

    /// Whether the dataset has bars in `[from, to)` (nil: unbounded).
    public func overlaps(from: Int64?, to: Int64?) -> Bool {
        (from.map { self.to >= $0 } ?? true) && (to.map { self.from < $0 } ?? true)
    }
}

/// The datasets of a data directory: what each holds, cached in `.tradelab-catalog.json` and
/// refreshed for files that changed, appeared or disappeared.
///
/// ```swift
/// let catalog = try DataCatalog(directory: "data")
/// let bars = try catalog.load(symbol: "BTCUSDT", timeframe: .h1, from: nil, to: nil)
/// ```
public struct DataCatalog: Sendable {
    /// The data directory.
    public let directory: String
    /// Every dataset, sorted by symbol then timeframe then path.
    public private(set) var entries: [CatalogEntry]
    /// Files that could not be read, with the reason (they are left out of ``entries``).
    public private(set) var problems: [(path: String, reason: String)] = []

    /// Name of the cache file inside the data directory.
    public static let indexFile = ".tradelab-catalog.json"

    /// Scans `directory` (recursively), reusing the cached index for unchanged files.
    /// - Parameters:
    ///   - previous: An earlier scan of the same directory, reused instead of reading the index
    ///     file (a long-lived process keeps its catalog and refreshes it with one `stat` per file).
    ///   - progress: called with (files done, files total) while new files are read.
    /// - Throws: ``DataFileError`` when the directory does not exist.
    public init(directory: String, previous: DataCatalog? = nil, progress: ((Int, Int) -> Void)? = nil) throws(DataFileError) {
        self.directory = directory
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataFileError(file: directory, reason: "no such data directory (make run creates data/ with sample data)")
        }
        let cached = previous.map { Dictionary($0.entries.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a }) } ?? Self.readIndex(directory)
        let files = Self.dataFiles(in: directory)
        var entries: [CatalogEntry] = []
        var problems: [(String, String)] = []
        for (k, file) in files.enumerated() {
            let full = directory + "/" + file
            let attributes = try? FileManager.default.attributesOfItem(atPath: full)
            let size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            if let hit = cached[file], hit.size == size, hit.modified == modified {
                entries.append(hit)
                continue
            }
            do {
                let loaded = try MarketDataFile.load(path: full)
                let names = Self.nameParts(file)
                let bars = loaded.bars
                entries.append(CatalogEntry(
                    path: file, symbol: names.symbol, timeframe: names.timeframe?.rawValue ?? loaded.timeframe?.rawValue,
                    from: bars.timestamps.first ?? 0, to: bars.timestamps.last ?? 0, rows: bars.count,
                    columns: ["open", "high", "low", "close", "volume"] + bars.featureNames, size: size, modified: modified))
            } catch {
                problems.append((file, error.description))
            }
            progress?(k + 1, files.count)
        }
        self.entries = entries.sorted { ($0.symbol, $0.timeframe ?? "", $0.path) < ($1.symbol, $1.timeframe ?? "", $1.path) }
        self.problems = problems
        if Set(self.entries.map(\.path)) != Set(cached.keys) || self.entries.contains(where: { cached[$0.path] != $0 }) {
            Self.writeIndex(self.entries, to: directory)   // only when something changed: most scans are read-only
        }
    }

    /// The datasets of `symbol` (case-insensitive).
    public func entries(symbol: String) -> [CatalogEntry] {
        entries.filter { $0.symbol.caseInsensitiveCompare(symbol) == .orderedSame }
    }

    /// Bars of `symbol` at `timeframe` in `[from, to)`: from a dataset of that timeframe, or
    /// resampled from the finest finer one. Several files of one symbol and timeframe (monthly
    /// partitions) are concatenated in time order, within one source only.
    /// - Parameter source: Which source to read (``CatalogEntry/source``); required when the
    ///   symbol exists in several (e.g. sample data and fetched Binance klines).
    /// - Throws: ``DataFileError`` saying which symbols, timeframes or sources exist when none fits.
    public func load(symbol: String, timeframe: Timeframe, from: Int64?, to: Int64?, source: String? = nil) throws(DataFileError) -> BarSeries {
        var candidates = entries(symbol: symbol)
        if let source {
            candidates = candidates.filter { $0.source == source }
            if candidates.isEmpty {
                throw DataFileError(file: folderName, reason: "no \(symbol) data from source '\(source)'; sources: \(Set(entries(symbol: symbol).map(\.source)).sorted().joined(separator: ", "))")
            }
        }
        guard !candidates.isEmpty else {
            let symbols = Set(entries.map(\.symbol)).sorted()
            throw DataFileError(file: folderName, reason: "no data for \(symbol); the catalog has \(symbols.isEmpty ? "no datasets" : symbols.joined(separator: ", "))")
        }
        let fine = candidates.compactMap { e in e.timeframe.flatMap { Timeframe(rawValue: $0) }.map { (e, $0) } }
            .filter { $0.1 <= timeframe }
        let usable = fine.filter { e, _ in e.overlaps(from: from, to: to) }
        if let outside = Self.outsideRange(fine.map(\.0), name: symbol, from: from, to: to) {
            throw DataFileError(file: folderName, reason: outside)
        }
        let sources = Set(usable.map(\.0.source))
        if sources.count > 1 {
            throw DataFileError(file: folderName, reason: "\(symbol) exists in several sources (\(sources.sorted().joined(separator: ", "))); choose one with --source (\".\" is the top of the data directory)")
        }
        guard let finest = usable.map(\.1).max() else {
            let have = Set(candidates.compactMap(\.timeframe)).sorted().joined(separator: ", ")
            throw DataFileError(file: folderName, reason: "no \(symbol) data at \(timeframe) or finer; it has \(have.isEmpty ? "no timeframe" : have)")
        }
        var parts: [BarSeries] = []
        for (entry, _) in usable.filter({ $0.1 == finest }).sorted(by: { $0.0.from < $1.0.from }) {
            parts.append(try MarketDataFile.load(path: directory + "/" + entry.path).bars.between(from: from, to: to))
        }
        var bars = try Self.concatenate(parts, file: directory)
        if finest != timeframe { bars = bars.resampled(to: timeframe) }
        return bars
    }

    /// Why `[from, to)` cannot be run on `entries` (the datasets of `name`): none of them has a
    /// bar there. The message gives the range the data really covers; nil when some dataset
    /// overlaps the range, or when there are no datasets to speak of.
    public static func outsideRange(_ entries: [CatalogEntry], name: String, from: Int64?, to: Int64?) -> String? {
        guard let first = entries.map(\.from).min(), let last = entries.map(\.to).max(),
              !entries.contains(where: { $0.overlaps(from: from, to: to) }) else { return nil }
        return "no \(name) data from \(from.map { UTCTime.format($0) } ?? "the start") to \(to.map { UTCTime.format($0) } ?? "the end"): "
            + "its data runs from \(UTCTime.format(first)) to \(UTCTime.format(last))"
    }

    /// The data directory's own name, for messages (never the server's path to it).
    private var folderName: String { URL(fileURLWithPath: directory).lastPathComponent }

    /// Joins series in time order, dropping bars that overlap the previous part.
    static func concatenate(_ parts: [BarSeries], file: String) throws(DataFileError) -> BarSeries {
        guard parts.count > 1 else { return parts.first ?? (try! BarSeries(timestamps: [], open: [], high: [], low: [], close: [], volume: [])) }
        var ts: [Int64] = [], o: [Double] = [], h: [Double] = [], l: [Double] = [], c: [Double] = [], v: [Double] = []
        for part in parts {
            let start = ts.last.map { part.firstIndex(atOrAfter: $0 + 1) } ?? 0
            ts += part.timestamps[start...]; o += part.open[start...]; h += part.high[start...]
            l += part.low[start...]; c += part.close[start...]; v += part.volume[start...]
        }
        do {
            return try BarSeries(timestamps: ts, open: o, high: h, low: l, close: c, volume: v)
        } catch {
            throw DataFileError(file: file, error)
        }
    }

    /// Data files under `directory`, relative paths, sorted; hidden files and folders skipped.
    static func dataFiles(in directory: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var files: [String] = []
        while let path = walker.nextObject() as? String {
            let url = URL(fileURLWithPath: path)
            if url.pathComponents.contains(where: { $0.hasPrefix(".") }) { continue }
            if MarketDataFile.extensions.contains(url.pathExtension.lowercased()) { files.append(path) }
        }
        return files.sorted()
    }

    /// Symbol and timeframe from a relative path: `BTCUSDT_1m.csv`, `BTCUSDT-1m-2024-01.csv`,
    /// `BTCUSDT/1h/2024-01.parquet`, `btcusdt.csv`.
    public static func nameParts(_ relativePath: String) -> (symbol: String, timeframe: Timeframe?) {
        var components = relativePath.split(separator: "/").map(String.init)
        let fileName = components.removeLast()
        let stem = fileName.contains(".") ? String(fileName[..<fileName.lastIndex(of: ".")!]) : fileName
        let tokens = stem.split(whereSeparator: { $0 == "_" || $0 == "-" || $0 == " " }).map(String.init)
        func timeframe(_ text: String) -> Timeframe? { try? Timeframe(parsing: text) }
        func isSymbol(_ text: String) -> Bool { timeframe(text) == nil && Int(text) == nil }
        // A timeframe in the file name: the name carries the symbol (BTCUSDT_1m.csv, BTCUSDT-1m-2024-01.csv).
        if let tf = tokens.lazy.compactMap(timeframe).first, let symbol = tokens.first(where: isSymbol) {
            return (symbol.uppercased(), tf)
        }
        // A timeframe folder: the folder above it names the symbol (BTCUSDT/1h/2024-01.parquet).
        if let k = components.lastIndex(where: { timeframe($0) != nil }) {
            let symbol = components[..<k].last(where: isSymbol) ?? tokens.first(where: isSymbol) ?? stem
            return (symbol.uppercased(), timeframe(components[k]))
        }
        return ((tokens.first(where: isSymbol) ?? components.last ?? stem).uppercased(), nil)
    }

    static func readIndex(_ directory: String) -> [String: CatalogEntry] {
        guard let data = FileManager.default.contents(atPath: directory + "/" + indexFile),
              let entries = try? JSONDecoder().decode([CatalogEntry].self, from: data) else { return [:] }
        return Dictionary(entries.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
    }

    static func writeIndex(_ entries: [CatalogEntry], to directory: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(entries) else { return }
        try? AtomicFile.write(data, to: directory + "/" + indexFile)   // a read-only directory just means no cache
    }
}

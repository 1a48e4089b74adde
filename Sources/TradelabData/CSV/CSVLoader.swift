import Foundation
import TradelabCore

/// Loads OHLCV bars from CSV files, detecting the dialect and the columns.
///
/// Accepts what people actually have: a header or none; `,` `;` or tab separators; quoted
/// fields; CRLF; a UTF-8 BOM; blank lines; case-insensitive column names with short forms
/// (`o h l c v`, `vol`); ISO 8601 dates and date-times with zones, or epoch seconds, ms, µs or
/// ns; Binance kline files; pandas files whose index header is empty. Extra numeric columns
/// become named features. See `docs/data.md` for the full rules.
///
/// ```swift
/// let loaded = try CSVLoader.load(path: "data/BTCUSDT_1m.csv")
/// print(loaded.bars.count, loaded.timeframe ?? "irregular", loaded.notes)
/// ```
public enum CSVLoader {
    /// Reads and parses a CSV file.
    ///
    /// - Parameters:
    ///   - path: The file path.
    ///   - options: Overrides for separator, header and epoch-unit detection.
    /// - Returns: The validated bars and what was detected.
    /// - Throws: ``DataFileError`` naming the file, line and column of the first problem.
    /// - Complexity: O(file size); the file is memory-mapped and parsed in place without
    ///   per-field allocation, in two chunks on two threads from 4 MiB of rows on (about 0.1 s
    ///   per million rows in a release build on 2 cores, validation included).
    public static func load(path: String, options: CSVOptions = .init()) throws(DataFileError) -> LoadedBars {
        let name = URL(fileURLWithPath: path).lastPathComponent
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataFileError(file: name, reason: "file not found at '\(path)'")
        }
        if let mapped = MappedFile.map(path: path) {
            return try withExtendedLifetime(mapped) { () throws(DataFileError) in
                try parse(bytes: mapped.bytes, name: name, options: options)
            }
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw DataFileError(file: name, reason: "cannot read the file: \(error.localizedDescription)")
        }
        let result = data.withUnsafeBytes { bytes in
            Result { () throws(DataFileError) in try parse(bytes: bytes, name: name, options: options) }
        }
        return try result.get()
    }

    /// Parses CSV bytes held in an array.
    ///
    /// - Parameters:
    ///   - bytes: The file contents.
    ///   - name: The file name used in errors (`prices.csv`).
    ///   - options: Overrides for the detection.
    /// - Returns: The validated bars and what was detected.
    /// - Throws: ``DataFileError``.
    public static func parse(bytes: [UInt8], name: String, options: CSVOptions = .init()) throws(DataFileError) -> LoadedBars {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(DataFileError) in try parse(bytes: buffer, name: name, options: options) }
        }
        return try result.get()
    }

    /// Parses CSV text (convenient in tests and for small inputs).
    ///
    /// - Parameters:
    ///   - text: The file contents.
    ///   - name: The file name used in errors.
    ///   - options: Overrides for the detection.
    /// - Returns: The validated bars and what was detected.
    /// - Throws: ``DataFileError``.
    public static func parse(text: String, name: String, options: CSVOptions = .init()) throws(DataFileError) -> LoadedBars {
        try parse(bytes: Array(text.utf8), name: name, options: options)
    }

    /// Parses CSV bytes in place.
    ///
    /// - Parameters:
    ///   - bytes: The file contents; only read during the call.
    ///   - name: The file name used in errors.
    ///   - options: Overrides for the detection.
    /// - Returns: The validated bars and what was detected.
    /// - Throws: ``DataFileError`` naming the line and column of the first problem: a row with
    ///   the wrong number of fields, a value that is no number or time, an empty price, or a bar
    ///   that fails ``TradelabCore/BarSeries`` validation.
    /// - Complexity: O(bytes.count).
    public static func parse(bytes: UnsafeRawBufferPointer, name: String, options: CSVOptions = .init()) throws(DataFileError) -> LoadedBars {
        try parse(bytes: bytes, name: name, options: options, tuning: CSVReader.Tuning())
    }

    /// ``parse(bytes:name:options:)`` with the reading strategy set (tests use it to reach the
    /// two-chunk logic on small inputs and to compare the fast path with the general one).
    static func parse(bytes: UnsafeRawBufferPointer, name: String, options: CSVOptions, tuning: CSVReader.Tuning) throws(DataFileError) -> LoadedBars {
        guard let raw = bytes.baseAddress, bytes.count > 0 else {
            throw DataFileError(file: name, reason: "the file is empty")
        }
        var reader = CSVReader(base: raw.assumingMemoryBound(to: UInt8.self), count: bytes.count, name: name, options: options)
        reader.tuning = tuning
        return try reader.read()
    }
}

/// The loader's state for one file.
struct CSVReader {
    let base: UnsafePointer<UInt8>
    let count: Int
    let name: String
    let options: CSVOptions
    /// How the rows are read.
    var tuning = Tuning()

    /// How the rows are read; the defaults are right for every input, tests change them.
    struct Tuning {
        /// Rows are read in two chunks on two threads from this many bytes of them on
        /// (4 MiB: below that, starting a second thread costs more than it saves).
        var parallelMinimum = 4 << 20
        /// Whether plain rows take the fast path (false: every row is read by the general path).
        var fastRows = true
    }

    init(base: UnsafePointer<UInt8>, count: Int, name: String, options: CSVOptions) {
        self.base = base
        self.count = count
        self.name = name
        self.options = options
    }

    mutating func read() throws(DataFileError) -> LoadedBars {
        let p = base, n = count
        var start = 0
        if n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { start = 3 }
        if n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)) {
            throw DataFileError(file: name, reason: "the file is UTF-16 text (as Excel's \"Unicode text\" writes); save it as CSV UTF-8")
        }
        // Skip leading blank lines.
        var line = 1
        var i = start
        while i < n {
            var j = i
            while j < n && (p[j] == UInt8(ascii: " ") || p[j] == UInt8(ascii: "\t") || p[j] == UInt8(ascii: "\r")) { j += 1 }
            guard j < n, p[j] == UInt8(ascii: "\n") else { break }
            i = j + 1
            line += 1
        }
        guard i < n else { throw DataFileError(file: name, reason: "the file is empty") }
        let separator = options.separator ?? CSVScanner.detectSeparator(p, from: i, count: n)
        var scanner = CSVScanner(base: p, count: n, separator: separator, position: i, line: line)

        // First record: header or data.
        var fields: [CSVField] = []
        fields.reserveCapacity(16)
        guard let firstLine = scanner.next(into: &fields) else { throw DataFileError(file: name, reason: "the file is empty") }
        let firstTexts = fields.map { scanner.text($0) }
        let hasHeader = options.hasHeader ?? CSVLayout.looksLikeHeader(firstTexts)
        var layout: CSVLayout
        let dataStart: (position: Int, line: Int)
        if hasHeader {
            dataStart = (scanner.position, scanner.line)
            // Peek at the first data row (for a date + time pair).
            var peek = scanner
            var firstRow: [String]?
            while let _ = peek.next(into: &fields) {
                if fields.count == 1 && fields[0].isEmpty { continue }
                firstRow = fields.map { peek.text($0) }
                break
            }
            do {
                layout = try CSVLayout.fromHeader(firstTexts, firstRow: firstRow, file: name)
            } catch {
                throw DataFileError(file: name, line: firstLine, column: error.column, reason: error.reason)
            }
        } else {
            dataStart = (i, line)
            layout = try CSVLayout.headerless(firstRow: firstTexts, file: name, line: firstLine)
        }

        // Rows.
        var rows = try readRows(layout: layout, separator: separator, from: dataStart.position, line: dataStart.line)
        var timestamps = rows.columns.timestamps, open = rows.columns.open, high = rows.columns.high, low = rows.columns.low
        var close = rows.columns.close, volume = rows.columns.volume, lines = rows.columns.lines
        rows.columns = CSVColumns(capacity: 0)  // the arrays above are now the only references
        var features = rows.reader.features
        let featureAlive = rows.reader.featureAlive
        let kinds = rows.reader.kinds, firstKinds = rows.reader.firstKinds, emptyVolumes = rows.reader.emptyVolumes
        var skipped = layout.skipped
        var notes = layout.notes
        for drop in rows.reader.dropped {
            let column = layout.columnNames[drop.column]
            skipped.append(column)
            notes.append("column '\(column)' is not numeric (line \(drop.line): '\(drop.text)') and was skipped")
        }

        guard !timestamps.isEmpty else {
            throw DataFileError(file: name, line: dataStart.line, reason: hasHeader ? "no data rows after the header" : "no data rows")
        }

        // Descending files (newest first, as many sites export) are reversed.
        var descending = timestamps.count >= 2
        if descending {
            for k in 1..<timestamps.count where timestamps[k] >= timestamps[k - 1] {
                descending = false
                break
            }
        }
        if descending {
            timestamps.reverse(); open.reverse(); high.reverse(); low.reverse(); close.reverse(); volume.reverse(); lines.reverse()
            for k in features.indices { features[k].reverse() }
            notes.append("rows were in descending time order and were reversed")
        }

        if emptyVolumes > 0 { notes.append("\(emptyVolumes) rows had an empty volume and got volume 0") }
        let kindNames = kinds.names
        if kindNames.count > 1 { notes.append("time values mixed \(kindNames.joined(separator: " and ")); each was read by its own form") }

        var namedFeatures: [(name: String, values: [Double])] = []
        for k in features.indices where featureAlive[k] {
            namedFeatures.append((layout.featureNames[k], features[k]))
        }
        let bars: BarSeries
        do {
            bars = try BarSeries(timestamps: timestamps, open: open, high: high, low: low, close: close, volume: volume,
                                 features: namedFeatures, sourceLines: lines)
        } catch {
            throw DataFileError(file: name, error)
        }
        return LoadedBars(bars: bars, timeframe: Timeframe.detect(bars.timestamps), timeColumn: layout.timeColumn,
                          timeFormat: (firstKinds ?? kinds).format, separator: separator, hasHeader: hasHeader,
                          skippedColumns: skipped, notes: notes)
    }

    /// Average length of the first few lines from `from`, to size the columns up front.
    func estimateLineLength(from: Int) -> Int {
        var i = from, lines = 0
        let limit = min(count, from + 4096)
        while i < limit {
            if base[i] == UInt8(ascii: "\n") { lines += 1 }
            i += 1
        }
        return lines == 0 ? 64 : max(1, (limit - from) / lines)
    }
}

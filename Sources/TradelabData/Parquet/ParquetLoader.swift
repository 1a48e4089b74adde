import Dispatch
import Foundation
import TradelabCore

/// Loads OHLCV bars from Parquet files written by pyarrow, pandas, polars, DuckDB, fastparquet,
/// Spark and Tradelab's own ``ParquetWriter``.
///
/// Column names follow the CSV loader's rules (case-insensitive `time`/`timestamp`/`date`/
/// `open_time`/..., `open high low close volume` and their short forms, the pandas index column
/// `__index_level_0__`); other numeric columns become named features, text columns are skipped.
/// Only the needed columns are decoded, in parallel; with a time range, row groups whose time
/// statistics lie outside it are not decoded. See `docs/parquet.md` for what is supported.
///
/// ```swift
/// let loaded = try ParquetLoader.load(path: "data/BTCUSDT_1m.parquet")
/// print(loaded.bars.count, loaded.timeframe ?? "irregular", loaded.notes)
/// ```
public enum ParquetLoader {
    /// Reads a Parquet file into bars.
    ///
    /// - Parameters:
    ///   - path: The file path.
    ///   - options: Time range, feature projection and the unit of integer time columns.
    /// - Returns: The validated bars and what was detected (``LoadedBars/separator`` is 0 and
    ///   ``LoadedBars/hasHeader`` true for Parquet).
    /// - Throws: ``DataFileError`` naming the file, the column and, for data errors, the row;
    ///   unsupported features read `unsupported: ...`, damaged files `malformed Parquet: ...`.
    /// - Complexity: O(bytes decoded); the file is memory-mapped and read once.
    public static func load(path: String, options: ParquetOptions = .init()) throws(DataFileError) -> LoadedBars {
        try read(path: path, options: options).loaded
    }

    /// Reads a Parquet file into bars and reports what was read (row groups skipped, pages...).
    ///
    /// - Parameters:
    ///   - path: The file path.
    ///   - options: Time range, feature projection and the unit of integer time columns.
    /// - Returns: The bars and a ``ParquetReadSummary``.
    /// - Throws: ``DataFileError``, as ``load(path:options:)``.
    public static func read(path: String, options: ParquetOptions = .init()) throws(DataFileError) -> ParquetLoadResult {
        try ParquetFileBytes.withContents(ofFile: path) { (file, name) throws(DataFileError) in
            try decode(file, name: name, options: options)
        }
    }

    /// Parses Parquet bytes held in memory.
    ///
    /// - Parameters:
    ///   - bytes: The whole file.
    ///   - name: The file name used in errors.
    ///   - options: Time range, projection, epoch unit.
    /// - Returns: The bars and a ``ParquetReadSummary``.
    /// - Throws: ``DataFileError``.
    public static func parse(bytes: [UInt8], name: String, options: ParquetOptions = .init()) throws(DataFileError) -> ParquetLoadResult {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(DataFileError) in try decode(buffer, name: name, options: options) }
        }
        return try result.get()
    }

    /// Decodes a whole file held in `file`.
    static func decode(_ file: UnsafeRawBufferPointer, name: String, options: ParquetOptions) throws(DataFileError) -> ParquetLoadResult {
        do {
            var read = try ParquetRead(file: file, options: options)
            return try read.run(name: name)
        } catch let error as ParquetError {
            throw error.located(in: name)
        } catch let error as DataFileError {
            throw error
        } catch {
            throw DataFileError(file: name, reason: "\(error)")
        }
    }
}

/// One read of one file: the footer, the layout, the row groups chosen, the decoded columns.
struct ParquetRead {
    let file: UnsafeRawBufferPointer
    let options: ParquetOptions
    let footer: ParquetFooter
    let layout: ParquetLayout

    /// A row group to decode: its index, first file row (0-based), rows and first output row.
    struct Group {
        var index: Int
        var fileRow: Int
        var rows: Int
        var start: Int
    }

    init(file: UnsafeRawBufferPointer, options: ParquetOptions) throws(ParquetError) {
        self.file = file
        self.options = options
        footer = try ParquetFooter(file: file)
        layout = try ParquetLayout(leaves: footer.leaves, options: options)
    }

    mutating func run(name: String) throws -> ParquetLoadResult {
        let groups = try chooseGroups()
        let n = groups.last.map { $0.start + $0.rows } ?? 0
        let columns = layout.columns

        // Output columns, created uninitialised and filled in place.
        let timeColumn = ColumnStorage<Int64>(uninitializedCount: n)
        let boxes = (1..<columns.count).map { _ in ColumnStorage<Double>(uninitializedCount: n) }
        var outcomes: [ParquetChunkOutcome] = []
        var firstError: ParquetError?
        var errorGroup = 0
        var keptSegments: [(from: Int, count: Int)] = []
        var unitsSeen = Set<EpochUnit>()
        var reversed = false

        withBaseAddresses([timeColumn] + boxes) { pointers in
            let slots = pointers.map { $0.assumingMemoryBound(to: UInt64.self) }
            guard n > 0 else { return }
            for slot in slots { adviseHugePages(slot, byteCount: n * 8) }
            // Decode every (column, row group) chunk, in parallel.
            let results = ChunkWork.perform(count: columns.count * groups.count, size: { k in
                footer.metadata.rowGroups[groups[k % groups.count].index].columns[columns[k / groups.count].leaf].metaData?.totalCompressedSize ?? 0
            }, decode: { (k, scratch) throws(ParquetError) in
                let column = columns[k / groups.count], group = groups[k % groups.count]
                let meta = footer.metadata.rowGroups[group.index].columns[column.leaf].metaData!
                do throws(ParquetError) {
                    return try ParquetColumnReader.decodeChunk(file: file, dataEnd: footer.dataEnd, meta: meta, plan: column.plan,
                                                               rows: group.rows, into: slots[k / groups.count] + group.start,
                                                               scratch: scratch)
                } catch {
                    throw error.inColumn(column.name)
                }
            })
            for (k, result) in results.enumerated() {
                switch result {
                case .failure(let error):
                    if firstError == nil { firstError = error; errorGroup = k % groups.count }
                case .success(let outcome): outcomes.append(outcome)
                }
            }
            if firstError != nil { return }

            // Times to UTC milliseconds.
            let t = pointers[0].assumingMemoryBound(to: Int64.self)
            do throws(ParquetError) {
                unitsSeen = try convertTimes(t, count: n, groups: groups)
            } catch {
                firstError = error
                return
            }

            // The time range.
            if options.from != nil || options.to != nil {
                let lower = options.from ?? .min, upper = options.to ?? .max
                var i = 0
                while i < n {
                    while i < n && !(t[i] >= lower && t[i] < upper) { i += 1 }
                    let s = i
                    while i < n && t[i] >= lower && t[i] < upper { i += 1 }
                    if i > s { keptSegments.append((s, i - s)) }
                }
                if keptSegments.count != 1 || keptSegments[0].from != 0 {
                    var out = 0
                    for segment in keptSegments {
                        for slot in slots where segment.from != out {
                            (slot + out).update(from: slot + segment.from, count: segment.count)
                        }
                        out += segment.count
                    }
                }
            } else {
                keptSegments = [(0, n)]
            }
            let m = keptSegments.reduce(0) { $0 + $1.count }

            // Newest-first files are reversed, as the CSV loader does.
            if m >= 2 {
                var descending = true
                for k in 1..<m where t[k] >= t[k - 1] {
                    descending = false
                    break
                }
                if descending {
                    for slot in slots {
                        var buffer = UnsafeMutableBufferPointer(start: slot, count: m)
                        buffer.reverse()
                    }
                    reversed = true
                }
            }
        }
        if let error = firstError {
            if let row = error.nullRow {
                let fileRow = groups[errorGroup].fileRow + row + 1
                throw DataFileError(file: name, column: error.column,
                                    reason: "null in row \(fileRow); time, open, high, low and close need a value in every row")
            }
            throw error.located(in: name)
        }
        let m = keptSegments.reduce(0) { $0 + $1.count }
        var times = timeColumn.take()
        times.removeLast(n - m)
        var priceColumns: [[Double]] = [[], [], [], [], []]
        var features: [(name: String, values: [Double])] = []
        var volumeNulls = 0
        for (k, column) in columns.enumerated().dropFirst() {
            var values = boxes[k - 1].take()
            values.removeLast(n - m)
            switch column.role {
            case .open: priceColumns[0] = values
            case .high: priceColumns[1] = values
            case .low: priceColumns[2] = values
            case .close: priceColumns[3] = values
            case .volume:
                priceColumns[4] = values
                volumeNulls = outcomes.isEmpty ? 0 : (0..<groups.count).reduce(0) { $0 + outcomes[(k * groups.count) + $1].nulls }
            case .feature: features.append((column.name, values))
            default: break
            }
        }
        if priceColumns[4].isEmpty { priceColumns[4] = [Double](repeating: 0, count: m) }

        var notes = layout.notes
        if volumeNulls > 0 { notes.append("\(volumeNulls) rows had a null volume and got volume 0") }
        if case .epoch(nil) = layout.timeKind, unitsSeen.count > 1 {
            notes.append("time values mixed \(EpochUnit.allCases.filter(unitsSeen.contains).map { "epoch \($0.rawValue)" }.joined(separator: " and ")); each was read by its own magnitude")
        }
        let skippedGroups = footer.metadata.rowGroups.count - groups.count
        if options.from != nil || options.to != nil {
            notes.append("time range kept \(m) of \(n) decoded rows; \(skippedGroups) of \(footer.metadata.rowGroups.count) row groups skipped by their statistics")
        }
        if reversed { notes.append("rows were in descending time order and were reversed") }

        let bars: BarSeries
        do {
            bars = try BarSeries(timestamps: times, open: priceColumns[0], high: priceColumns[1], low: priceColumns[2],
                                 close: priceColumns[3], volume: priceColumns[4], features: features)
        } catch {
            var reason = error.reason
            if let row = error.row {
                // Back to the row in the file: undo the reversal, the range filter and the skipped groups.
                var k = reversed ? m - 1 - row : row
                var decoded = k
                for segment in keptSegments {
                    if k < segment.count { decoded = segment.from + k; break }
                    k -= segment.count
                }
                let group = groups.last { $0.start <= decoded } ?? groups[0]
                reason = "row \(group.fileRow + decoded - group.start + 1): \(reason)"
            }
            let column = error.field == "time" ? layout.timeColumn
                : columns.first { $0.role == role(named: error.field) }?.name ?? error.field
            throw DataFileError(file: name, column: column, reason: reason)
        }

        var format: TimeFormat
        switch layout.timeKind {
        case .timestamp(let unit, _): format = .epoch(unit == .millis ? .milliseconds : unit == .micros ? .microseconds : .nanoseconds)
        case .date: format = .date
        case .epoch(let unit): format = .epoch(unit ?? EpochUnit.allCases.first(where: unitsSeen.contains) ?? .milliseconds)
        }
        let loaded = LoadedBars(bars: bars, timeframe: Timeframe.detect(bars.timestamps), timeColumn: layout.timeColumn,
                                timeFormat: format, separator: 0, hasHeader: true, skippedColumns: layout.skipped, notes: notes)
        let summary = ParquetReadSummary(rowGroups: footer.metadata.rowGroups.count, rowGroupsRead: groups.count,
                                         rowsInFile: footer.metadata.rowGroups.reduce(0) { $0 + Int($1.numRows) },
                                         rowsDecoded: n, columnsRead: columns.sorted { $0.leaf < $1.leaf }.map(\.name),
                                         pagesRead: outcomes.reduce(0) { $0 + $1.pages }, createdBy: footer.metadata.createdBy)
        return ParquetLoadResult(loaded: loaded, summary: summary)
    }

    private func role(named field: String?) -> ColumnRole? {
        switch field {
        case "open": .open
        case "high": .high
        case "low": .low
        case "close": .close
        case "volume": .volume
        default: layout.featureNames.firstIndex(of: field ?? "").map { .feature($0) }
        }
    }

    /// The row groups to decode: all of them, or those whose time statistics meet the range.
    private func chooseGroups() throws(ParquetError) -> [Group] {
        var groups: [Group] = []
        var fileRow = 0, start = 0
        let timeLeaf = layout.columns[0].leaf
        for (index, group) in footer.metadata.rowGroups.enumerated() {
            let rows = Int(group.numRows)
            defer { fileRow += rows }
            guard fileRow <= Int(Int32.max) - rows else { throw .malformed("more than \(Int32.max) rows") }
            if rows == 0 || !overlapsRange(group.columns[timeLeaf].metaData?.statistics) { continue }
            for column in layout.columns {
                _ = try group.columns[column.leaf].checkedMetaData(column: column.name, rows: group.numRows)
            }
            // Strictly increasing times take at least one stored byte per row; a footer claiming
            // more rows than that is damaged (and would make us allocate for nothing).
            guard let timeMeta = group.columns[timeLeaf].metaData, timeMeta.totalUncompressedSize >= group.numRows else {
                throw .malformed("row group claims \(rows) rows in a smaller time column", column: layout.timeColumn)
            }
            groups.append(Group(index: index, fileRow: fileRow, rows: rows, start: start))
            start += rows
        }
        return groups
    }

    /// Whether a row group whose time column has `statistics` may hold rows in the range.
    private func overlapsRange(_ statistics: ParquetStatistics?) -> Bool {
        guard options.from != nil || options.to != nil, let s = statistics,
              let lowBytes = s.lowerBound, let highBytes = s.upperBound,
              let low = integer(lowBytes), let high = integer(highBytes),
              let lowMs = milliseconds(low), let highMs = milliseconds(high) else { return true }
        if let from = options.from, highMs < from { return false }
        if let to = options.to, lowMs >= to { return false }
        return true
    }

    /// A PLAIN-encoded INT32 or INT64 statistic.
    private func integer(_ bytes: [UInt8]) -> Int64? {
        switch bytes.count {
        case 8: bytes.withUnsafeBytes { Int64($0.loadUnaligned(as: Int64.self)) }
        case 4: bytes.withUnsafeBytes { Int64($0.loadUnaligned(as: Int32.self)) }
        default: nil
        }
    }

    /// A stored time value in UTC ms, for statistics (nil when the unit is not known for sure).
    private func milliseconds(_ raw: Int64) -> Int64? {
        switch layout.timeKind {
        case .timestamp(.millis, _): raw
        case .timestamp(.micros, _): floorDiv(raw, 1000)
        case .timestamp(.nanos, _): floorDiv(raw, 1_000_000)
        case .date: raw.multipliedReportingOverflow(by: 86_400_000).overflow ? nil : raw * 86_400_000
        case .epoch(let unit):
            // Per-value detection could read min and max in different units: use it only if both agree.
            unit.map { epochToMs(raw, $0) } ?? epochToMs(raw, EpochUnit.detect(magnitude: raw.magnitude))
        }
    }

    /// Converts the raw time values in place to UTC ms; returns the epoch units seen.
    private func convertTimes(_ t: UnsafeMutablePointer<Int64>, count n: Int, groups: [Group]) throws(ParquetError) -> Set<EpochUnit> {
        func overflow(_ i: Int) -> ParquetError {
            let group = groups.last { $0.start <= i } ?? groups[0]
            return .data("time value \(t[i]) in row \(group.fileRow + i - group.start + 1) is out of range", column: layout.timeColumn)
        }
        switch layout.timeKind {
        case .timestamp(.millis, _):
            return []
        case .timestamp(.micros, _):
            for i in 0..<n { t[i] = floorDiv(t[i], 1000) }
            return []
        case .timestamp(.nanos, _):
            for i in 0..<n { t[i] = floorDiv(t[i], 1_000_000) }
            return []
        case .date:
            for i in 0..<n { t[i] = t[i] * 86_400_000 }  // INT32 days cannot overflow
            return []
        case .epoch(let forced):
            var seen = Set<EpochUnit>()
            var last: EpochUnit?
            for i in 0..<n {
                let unit = forced ?? EpochUnit.detect(magnitude: t[i].magnitude)
                if unit != last { seen.insert(unit); last = unit }
                guard let ms = epochToMs(t[i], unit) else { throw overflow(i) }
                t[i] = ms
            }
            return seen
        }
    }

    private func epochToMs(_ v: Int64, _ unit: EpochUnit) -> Int64? {
        switch unit {
        case .seconds:
            let (r, o) = v.multipliedReportingOverflow(by: 1000)
            return o ? nil : r
        case .milliseconds: return v
        case .microseconds: return floorDiv(v, 1000)
        case .nanoseconds: return floorDiv(v, 1_000_000)
        }
    }
}

@inline(__always)
func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

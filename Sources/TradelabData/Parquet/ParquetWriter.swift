import Foundation
import TradelabCore

/// Writes bars as Parquet that pyarrow, pandas, polars, DuckDB, Spark and ``ParquetLoader`` read.
///
/// The layout is deliberately plain: a flat schema of REQUIRED columns — `time` as INT64
/// `TIMESTAMP(isAdjustedToUTC=true, MILLIS)` (ConvertedType `TIMESTAMP_MILLIS` too), then
/// `open high low close volume` and every feature as DOUBLE — PLAIN encoding, v1 data pages of
/// about ``pageSize`` bytes, one codec for every page, row groups of ``rowGroupSize`` rows, and
/// chunk statistics (min/max without NaN, null and NaN counts, old and new fields) with
/// TypeDefinedOrder column orders. NaN in a feature is written as a NaN value (the columns are
/// REQUIRED, so there are no nulls).
///
/// ```swift
/// try ParquetWriter(compression: .zstd).write(bars, to: "data/BTCUSDT_1m.parquet")
/// ```
public struct ParquetWriter: Sendable {
    /// Page compression.
    public enum Compression: String, Sendable, CaseIterable {
        case uncompressed, snappy, gzip, zstd

        var codec: ParquetCodec {
            switch self {
            case .uncompressed: .uncompressed
            case .snappy: .snappy
            case .gzip: .gzip
            case .zstd: .zstd
            }
        }
    }

    /// The codec of every page (default ZSTD, level 3).
    public var compression: Compression
    /// Rows per row group (the last one may be shorter).
    public var rowGroupSize: Int
    /// Target size of a data page's values in bytes (pages hold `pageSize / 8` values).
    public var pageSize: Int
    /// The footer's `created_by`: "tradelab version" and ``TradelabVersion/current``.
    public var createdBy: String

    /// Creates a writer.
    /// - Parameters:
    ///   - compression: The page codec.
    ///   - rowGroupSize: Rows per row group, at least 1.
    ///   - pageSize: Bytes of values per data page, at least 8.
    ///   - createdBy: The application named in the footer.
    public init(compression: Compression = .zstd, rowGroupSize: Int = 1 << 20, pageSize: Int = 1 << 20,
                createdBy: String = "tradelab version \(TradelabVersion.current)") {
        precondition(rowGroupSize >= 1, "rowGroupSize must be at least 1, was \(rowGroupSize)")
        precondition(pageSize >= 8, "pageSize must be at least 8 bytes, was \(pageSize)")
        self.compression = compression
        self.rowGroupSize = rowGroupSize
        self.pageSize = pageSize
        self.createdBy = createdBy
    }

    /// Writes `bars` (with their features, then `extraColumns`) to `path`, atomically: the file
    /// is written under a temporary name in the same folder and renamed into place.
    ///
    /// - Parameters:
    ///   - bars: The bars.
    ///   - extraColumns: More DOUBLE columns, each as long as `bars`.
    ///   - path: The destination; replaced if it exists.
    /// - Throws: ``DataFileError`` when an extra column does not fit or the file cannot be written.
    /// - Complexity: O(bars × columns); the file is assembled in memory, then written once.
    public func write(_ bars: BarSeries, extraColumns: [(name: String, values: [Double])] = [], to path: String) throws(DataFileError) {
        let name = URL(fileURLWithPath: path).lastPathComponent
        let bytes = try encode(bars, extraColumns: extraColumns, name: name)
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw DataFileError(file: name, reason: "cannot write the file: \(error.localizedDescription)")
        }
    }

    /// The Parquet bytes of `bars` (with their features, then `extraColumns`).
    ///
    /// - Parameters:
    ///   - bars: The bars.
    ///   - extraColumns: More DOUBLE columns, each as long as `bars`.
    ///   - name: The file name used in errors.
    /// - Returns: The whole file.
    /// - Throws: ``DataFileError`` when an extra column has the wrong length or a taken name.
    public func encode(_ bars: BarSeries, extraColumns: [(name: String, values: [Double])] = [],
                       name: String = "bars.parquet") throws(DataFileError) -> [UInt8] {
        var doubles: [(name: String, values: [Double])] = [
            ("open", bars.open), ("high", bars.high), ("low", bars.low), ("close", bars.close), ("volume", bars.volume),
        ]
        doubles += zip(bars.featureNames, bars.featureColumns).map { ($0, $1) }
        var names = Set(["time"] + doubles.map(\.name))
        for column in extraColumns {
            guard column.values.count == bars.count else {
                throw DataFileError(file: name, column: column.name, reason: "has \(column.values.count) values for \(bars.count) bars")
            }
            guard names.insert(column.name).inserted else {
                throw DataFileError(file: name, column: column.name, reason: "the name is already taken by another column")
            }
            doubles.append(column)
        }

        var out: [UInt8] = Array("PAR1".utf8)
        out.reserveCapacity(bars.count * 8 * (doubles.count + 1) / 2 + 4096)
        var rowGroups: [ThriftCompactWriter] = []
        var start = 0
        do throws(ParquetError) {
            while start < bars.count {
                let end = min(bars.count, start + rowGroupSize)
                let groupStart = out.count
                var chunks: [ChunkInfo] = []
                chunks.append(try bars.timestamps.withUnsafeBufferPointer { (b) throws(ParquetError) in
                    try writeChunk(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(b)[(start * 8)..<(end * 8)]),
                                   path: "time", type: .int64, statistics: int64Statistics(b[start..<end]), into: &out)
                })
                for column in doubles {
                    chunks.append(try column.values.withUnsafeBufferPointer { (b) throws(ParquetError) in
                        try writeChunk(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(b)[(start * 8)..<(end * 8)]),
                                       path: column.name, type: .double, statistics: doubleStatistics(b[start..<end]), into: &out)
                    })
                }
                var w = ThriftCompactWriter()
                w.beginStruct()
                w.field(1, .list)
                w.listHeader(.structure, count: chunks.count)
                for chunk in chunks {
                    w.beginStruct()
                    w.i64(2, 0)  // file_offset: no ColumnMetaData outside the footer
                    w.field(3, .structure)
                    chunk.writeMetaData(&w, codec: compression.codec)
                    w.stop()  // ColumnChunk
                }
                w.i64(2, chunks.reduce(0) { $0 + $1.uncompressedSize })
                w.i64(3, Int64(end - start))
                w.i64(5, Int64(groupStart))
                w.i64(6, Int64(out.count - groupStart))
                w.field(7, .i16)
                w.i16(Int16(truncatingIfNeeded: rowGroups.count))
                w.stop()
                rowGroups.append(w)
                start = end
            }
        } catch {
            throw DataFileError(file: name, reason: error.renderedReason)
        }

        // Footer.
        var f = ThriftCompactWriter()
        f.i32(1, 1)
        f.field(2, .list)
        f.listHeader(.structure, count: doubles.count + 2)
        f.beginStruct()
        f.string(4, "schema")
        f.i32(5, Int32(doubles.count + 1))
        f.stop()
        f.beginStruct()
        f.i32(1, ParquetPhysicalType.int64.rawValue)
        f.i32(3, ParquetRepetition.required.rawValue)
        f.string(4, "time")
        f.i32(6, ParquetConvertedType.timestampMillis)
        f.field(10, .structure)  // LogicalType
        f.field(8, .structure)  // TIMESTAMP
        f.bool(1, true)  // isAdjustedToUTC
        f.field(2, .structure)  // unit
        f.field(1, .structure)  // MILLIS
        f.stop(); f.stop(); f.stop(); f.stop()  // MilliSeconds, TimeUnit, TimestampType, LogicalType
        f.stop()  // SchemaElement
        for column in doubles {
            f.beginStruct()
            f.i32(1, ParquetPhysicalType.double.rawValue)
            f.i32(3, ParquetRepetition.required.rawValue)
            f.string(4, column.name)
            f.stop()
        }
        f.i64(3, Int64(bars.count))
        f.field(4, .list)
        f.listHeader(.structure, count: rowGroups.count)
        for group in rowGroups { f.bytes.append(contentsOf: group.bytes) }
        f.string(6, createdBy)
        f.field(7, .list)
        f.listHeader(.structure, count: doubles.count + 1)
        for _ in 0...doubles.count {
            f.beginStruct()
            f.field(1, .structure)  // TYPE_ORDER
            f.stop()
            f.stop()
        }
        f.stop()
        out.append(contentsOf: f.bytes)
        let length = UInt32(f.bytes.count)
        out.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)])
        out.append(contentsOf: Array("PAR1".utf8))
        return out
    }

    /// What the footer needs to know about a written column chunk.
    struct ChunkInfo {
        var path: String
        var type: ParquetPhysicalType
        var values: Int
        var uncompressedSize: Int64
        var compressedSize: Int64
        var dataPageOffset: Int64
        var statistics: ChunkStatistics

        func writeMetaData(_ w: inout ThriftCompactWriter, codec: ParquetCodec) {
            w.i32(1, type.rawValue)
            w.field(2, .list)
            w.listHeader(.i32, count: 1)
            w.i32(ParquetEncoding.plain.rawValue)
            w.field(3, .list)
            w.listHeader(.binary, count: 1)
            w.string(path)
            w.i32(4, codec.rawValue)
            w.i64(5, Int64(values))
            w.i64(6, uncompressedSize)
            w.i64(7, compressedSize)
            w.i64(9, dataPageOffset)
            w.field(12, .structure)
            if let max = statistics.max, let min = statistics.min {
                w.binary(1, max)
                w.binary(2, min)
            }
            w.i64(3, 0)  // null_count
            if let max = statistics.max, let min = statistics.min {
                w.binary(5, max)
                w.binary(6, min)
                w.bool(7, true)
                w.bool(8, true)
            }
            if let nans = statistics.nanCount { w.i64(9, nans) }
            w.stop()  // Statistics
            w.stop()  // ColumnMetaData
        }
    }

    /// PLAIN-encoded bounds and the NaN count of a chunk.
    struct ChunkStatistics {
        var min: [UInt8]?
        var max: [UInt8]?
        var nanCount: Int64?
    }

    private func int64Statistics(_ values: UnsafeBufferPointer<Int64>.SubSequence) -> ChunkStatistics {
        guard var lo = values.first else { return ChunkStatistics() }
        var hi = lo
        for v in values {
            if v < lo { lo = v }
            if v > hi { hi = v }
        }
        return ChunkStatistics(min: bytes(of: lo), max: bytes(of: hi))
    }

    /// Min and max of the non-NaN values (zero bounds as -0.0 / +0.0), and the NaN count.
    private func doubleStatistics(_ values: UnsafeBufferPointer<Double>.SubSequence) -> ChunkStatistics {
        var lo = Double.infinity, hi = -Double.infinity
        var nans: Int64 = 0
        for v in values {
            if v.isNaN { nans += 1; continue }
            if v < lo { lo = v }
            if v > hi { hi = v }
        }
        guard lo <= hi else { return ChunkStatistics(nanCount: nans) }
        if lo == 0 { lo = -0.0 }
        if hi == 0 { hi = 0.0 }
        return ChunkStatistics(min: bytes(of: lo.bitPattern), max: bytes(of: hi.bitPattern), nanCount: nans)
    }

    private func bytes<T: FixedWidthInteger>(of value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    /// Writes one column chunk of 8-byte values as PLAIN v1 data pages.
    private func writeChunk(_ values: UnsafeRawBufferPointer, path: String, type: ParquetPhysicalType,
                            statistics: ChunkStatistics, into out: inout [UInt8]) throws(ParquetError) -> ChunkInfo {
        let count = values.count / 8
        let perPage = max(1, pageSize / 8)
        let chunkStart = out.count
        var uncompressed: Int64 = 0
        var compressed: [UInt8] = []
        var first = 0
        while first < count || (count == 0 && first == 0) {
            let last = min(count, first + perPage)
            let page = UnsafeRawBufferPointer(rebasing: values[(first * 8)..<(last * 8)])
            compressed.removeAll(keepingCapacity: true)
            try ParquetCompressor.compress(compression.codec, page, appendingTo: &compressed)
            var h = ThriftCompactWriter()
            h.i32(1, ParquetPageType.dataPage.rawValue)
            h.i32(2, Int32(page.count))
            h.i32(3, Int32(compressed.count))
            h.field(5, .structure)
            h.i32(1, Int32(last - first))
            h.i32(2, ParquetEncoding.plain.rawValue)
            h.i32(3, ParquetEncoding.rle.rawValue)
            h.i32(4, ParquetEncoding.rle.rawValue)
            h.stop()  // DataPageHeader
            h.stop()  // PageHeader
            out.append(contentsOf: h.bytes)
            out.append(contentsOf: compressed)
            uncompressed += Int64(h.bytes.count + page.count)
            first = last
            if count == 0 { break }
        }
        return ChunkInfo(path: path, type: type, values: count, uncompressedSize: uncompressed,
                         compressedSize: Int64(out.count - chunkStart), dataPageOffset: Int64(chunkStart), statistics: statistics)
    }
}

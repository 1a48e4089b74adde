import Foundation
import TradelabCore

/// Writes bars and ``ParquetTable``s as Parquet that pyarrow, pandas, polars, DuckDB, Spark,
/// ``ParquetLoader`` and ``ParquetTableReader`` read.
///
/// The layout is deliberately plain: a flat schema of REQUIRED columns, PLAIN encoding, v1 data
/// pages of about ``pageSize`` bytes, one codec for every page, row groups of ``rowGroupSize``
/// rows, and chunk statistics (min/max, NaN excluded, null and NaN counts, old and new fields)
/// with TypeDefinedOrder column orders. Bars are the table `time` (INT64
/// `TIMESTAMP(isAdjustedToUTC=true, MILLIS)`, ConvertedType `TIMESTAMP_MILLIS` too), then
/// `open high low close volume` and every feature as DOUBLE; NaN in a feature is written as a
/// NaN value (the columns are REQUIRED, so there are no nulls).
///
/// ```swift
/// try ParquetWriter(compression: .zstd).write(bars, to: "data/BTCUSDT_1m.parquet")
/// try ParquetWriter(compression: .uncompressed).write(table, to: "runs/42/trades.parquet")
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
    /// Target size of a data page's values in bytes: `pageSize / 8` 8-byte values, `8 × pageSize`
    /// booleans, or strings until the page reaches `pageSize` bytes.
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
        try write(ParquetTable(bars: bars, extraColumns: extraColumns, file: name), to: path)
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
        try encode(ParquetTable(bars: bars, extraColumns: extraColumns, file: name), name: name)
    }
}

extension ParquetTable {
    /// The table of `bars`: `time` as TIMESTAMP(MILLIS), then `open high low close volume`, the
    /// features and `extraColumns` as DOUBLE.
    /// - Throws: ``DataFileError`` of `file` when an extra column has the wrong length or a taken name.
    init(bars: BarSeries, extraColumns: [(name: String, values: [Double])], file: String) throws(DataFileError) {
        let doubles = [("open", bars.open), ("high", bars.high), ("low", bars.low), ("close", bars.close), ("volume", bars.volume)]
            + zip(bars.featureNames, bars.featureColumns).map { ($0, $1) } + extraColumns.map { ($0.name, $0.values) }
        try self.init([(name: "time", column: .timestampMillis(bars.timestamps))] + doubles.map { (name: $0, column: .double($1)) },
                      file: file, rows: "bars")
    }
}

/// A flat table of named columns of equal length, as stored in a Parquet file.
///
/// Written by ``ParquetWriter`` (`write(_:to:)`, `encode(_:name:)`) and read by
/// ``ParquetTableReader``; for run results such as equity curves, trades and order logs.
///
/// ```swift
/// let table = try ParquetTable([
///     (name: "time", column: .timestampMillis(times)),
///     (name: "equity", column: .double(equity)),
///     (name: "side", column: .string(sides)),
/// ])
/// try ParquetWriter(compression: .uncompressed).write(table, to: "runs/42/equity.parquet")
/// let back = try ParquetTableReader.read(path: "runs/42/equity.parquet")
/// if case .double(let values)? = back["equity"] { print(values.last ?? .nan) }
/// ```
public struct ParquetTable: Sendable, Equatable {
    /// One column's values.
    ///
    /// Equality is equality of the stored values: doubles compare by bit pattern (NaN equals
    /// NaN, -0.0 differs from +0.0) and strings by their UTF-8 bytes.
    public enum Column: Sendable, Equatable {
        /// INT64.
        case int64([Int64])
        /// INT64 `TIMESTAMP(isAdjustedToUTC=true, MILLIS)`: UTC milliseconds.
        case timestampMillis([Int64])
        /// DOUBLE (NaN allowed).
        case double([Double])
        /// BOOLEAN.
        case bool([Bool])
        /// BYTE_ARRAY with the STRING logical type (UTF-8).
        case string([String])

        /// The number of values.
        public var count: Int {
            switch self {
            case .int64(let v), .timestampMillis(let v): v.count
            case .double(let v): v.count
            case .bool(let v): v.count
            case .string(let v): v.count
            }
        }

        /// Whether two columns hold the same type and the same stored values.
        public static func == (a: Column, b: Column) -> Bool {
            switch (a, b) {
            case (.int64(let x), .int64(let y)), (.timestampMillis(let x), .timestampMillis(let y)): x == y
            case (.double(let x), .double(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
            case (.bool(let x), .bool(let y)): x == y
            case (.string(let x), .string(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.utf8.elementsEqual($1.utf8) }
            default: false
            }
        }
    }

    /// The column names, in order.
    public private(set) var names: [String]
    /// The columns, parallel to ``names``.
    public private(set) var columns: [Column]

    /// The number of rows (0 for a table without columns).
    public var rowCount: Int { columns.first?.count ?? 0 }

    /// Creates a table from named columns.
    /// - Parameter columns: The columns in order, all of the same length, with distinct names.
    /// - Throws: ``DataFileError`` (file `table`) naming the first column whose length differs
    ///   from the first column's, or whose name repeats an earlier one.
    public init(_ columns: [(name: String, column: Column)]) throws(DataFileError) {
        try self.init(columns, file: "table", rows: "rows")
    }

    /// Creates a table; errors name `file` and count the first column's length in `rows`
    /// ("has 2 values for 3 bars").
    init(_ columns: [(name: String, column: Column)], file: String, rows: String) throws(DataFileError) {
        var seen = Set<String>()
        let count = columns.first?.column.count ?? 0
        for (name, column) in columns {
            guard column.count == count else {
                throw DataFileError(file: file, column: name, reason: "has \(column.count) values for \(count) \(rows)")
            }
            guard seen.insert(name).inserted else {
                throw DataFileError(file: file, column: name, reason: "the name is already taken by another column")
            }
        }
        names = columns.map(\.name)
        self.columns = columns.map(\.column)
    }

    /// The column named `name`, or nil.
    /// - Complexity: O(columns).
    public subscript(name: String) -> Column? {
        names.firstIndex(of: name).map { columns[$0] }
    }
}

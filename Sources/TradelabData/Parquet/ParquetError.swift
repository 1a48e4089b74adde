/// A problem found while reading or writing Parquet, before it is located in a file.
///
/// The loader turns these into ``DataFileError`` values naming the file: `prices.parquet: column
/// 'close': unsupported: the BYTE_STREAM_SPLIT encoding ...`.
struct ParquetError: Error, Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// The bytes do not follow the format (truncated, corrupt, inconsistent sizes).
        case malformed
        /// Valid Parquet that uses a feature this reader does not implement.
        case unsupported
        /// Valid Parquet whose values are not usable bars (nulls in prices, bad types).
        case data
    }

    var kind: Kind
    /// The column at fault, when there is one.
    var column: String?
    var reason: String
    /// For a null where none may be: its 0-based row within the column chunk.
    var nullRow: Int? = nil

    static func malformed(_ reason: String, column: String? = nil) -> ParquetError {
        ParquetError(kind: .malformed, column: column, reason: reason)
    }

    static func unsupported(_ reason: String, column: String? = nil) -> ParquetError {
        ParquetError(kind: .unsupported, column: column, reason: reason)
    }

    static func data(_ reason: String, column: String? = nil) -> ParquetError {
        ParquetError(kind: .data, column: column, reason: reason)
    }

    /// The same error, attributed to `column` unless it already names one.
    func inColumn(_ name: String) -> ParquetError {
        var copy = self
        if copy.column == nil { copy.column = name }
        return copy
    }

    /// The reason with its kind spelled out: "unsupported: ...", "malformed Parquet: ...".
    var renderedReason: String {
        switch kind {
        case .malformed: "malformed Parquet: \(reason)"
        case .unsupported: "unsupported: \(reason)"
        case .data: reason
        }
    }

    /// This error as a ``DataFileError`` of `file`.
    func located(in file: String) -> DataFileError {
        DataFileError(file: file, column: column, reason: renderedReason)
    }
}

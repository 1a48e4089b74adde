import Foundation
import TradelabCore

/// Loads bars from any supported file, chosen by extension: `.csv` (and `.txt`), `.parquet`.
public enum MarketDataFile {
    /// Extensions the catalog and loaders accept.
    public static let extensions: Set<String> = ["csv", "txt", "parquet", "pq"]

    /// Loads `path`.
    /// - Throws: ``DataFileError`` naming the file (and line or column) on bad input.
    public static func load(path: String) throws(DataFileError) -> LoadedBars {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "parquet", "pq":
            return try ParquetLoader.load(path: path)
        default:
            return try CSVLoader.load(path: path)
        }
    }
}

extension MarketDataFile {
    /// Writes `bars` to `path` in the format its extension names (`.csv`, `.parquet`; ZSTD by default).
    /// - Parameter createdBy: The Parquet footer's `created_by`.
    /// - Throws: ``DataFileError`` for an unsupported extension or a write failure.
    public static func write(_ bars: BarSeries, to path: String, createdBy: String? = nil) throws(DataFileError) {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "csv", "txt":
            try CSVWriter().write(bars, to: path)
        case "parquet", "pq":
            var writer = ParquetWriter()
            if let createdBy { writer.createdBy = createdBy }
            try writer.write(bars, to: path)
        default:
            throw DataFileError(file: path, reason: "unknown output format; use a .csv or .parquet file name")
        }
    }
}

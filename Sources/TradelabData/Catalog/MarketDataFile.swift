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
            throw DataFileError(file: path, reason: "Parquet files are not readable yet; convert to CSV")
        default:
            return try CSVLoader.load(path: path)
        }
    }
}

extension MarketDataFile {
    /// Writes `bars` to `path` in the format its extension names (`.csv`, `.parquet`).
    /// - Throws: ``DataFileError`` for an unsupported extension or a write failure.
    public static func write(_ bars: BarSeries, to path: String) throws(DataFileError) {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "csv", "txt":
            try CSVWriter().write(bars, to: path)
        case "parquet", "pq":
            throw DataFileError(file: path, reason: "writing Parquet is not available yet; write .csv")
        default:
            throw DataFileError(file: path, reason: "unknown output format; use a .csv or .parquet file name")
        }
    }
}

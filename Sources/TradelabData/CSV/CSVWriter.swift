import Foundation
import TradelabCore

/// Writes bars as CSV that ``CSVLoader`` reads back exactly.
///
/// The header is `time,open,high,low,close,volume,<features...>,<extras...>`. Times are ISO 8601
/// UTC (`2024-01-02T03:04:05Z`, `2024-01-02T03:04:05.250Z` when the milliseconds are not zero)
/// or epoch milliseconds. Numbers use Swift's shortest round-trip form (`description`), so
/// parsing them gives back the same bits; NaN is written as an empty cell. Lines end with `\n`.
///
/// ```swift
/// try CSVWriter().write(bars, extras: [("sma_20", sma)], to: "out/bars.csv")
/// ```
public struct CSVWriter: Sendable {
    /// How the time column is written.
    public enum TimeStyle: Sendable, Equatable {
        /// `2024-01-02T03:04:05Z`, with `.mmm` when the milliseconds are not zero.
        case iso8601
        /// Milliseconds since the epoch: `1704164645000`.
        case epochMilliseconds
    }

    /// How the time column is written.
    public var timeStyle: TimeStyle

    /// Creates a writer.
    /// - Parameter timeStyle: ISO 8601 (default) or epoch milliseconds.
    public init(timeStyle: TimeStyle = .iso8601) {
        self.timeStyle = timeStyle
    }

    /// Encodes bars and extra columns as CSV bytes.
    ///
    /// - Parameters:
    ///   - bars: The bars; their features are written after `volume`.
    ///   - extras: More named columns, each as long as `bars` (NaN for missing), written last.
    /// - Returns: The UTF-8 file contents.
    /// - Precondition: Every extra column has `bars.count` values and all column names are distinct.
    /// - Complexity: O(rows × columns).
    public func encode(_ bars: BarSeries, extras: [(name: String, values: [Double])] = []) -> [UInt8] {
        let names = ["time", "open", "high", "low", "close", "volume"] + bars.featureNames + extras.map(\.name)
        precondition(Set(names).count == names.count, "CSVWriter: duplicate column names in \(names)")
        for extra in extras {
            precondition(extra.values.count == bars.count,
                         "CSVWriter: extra column '\(extra.name)' has \(extra.values.count) values, the bars \(bars.count)")
        }
        let columns: [[Double]] = [bars.open, bars.high, bars.low, bars.close, bars.volume] + bars.featureColumns + extras.map(\.values)
        var out: [UInt8] = []
        out.reserveCapacity(64 + bars.count * (24 + 10 * columns.count))
        out.append(contentsOf: names.map(Self.headerField).joined(separator: ",").utf8)
        out.append(UInt8(ascii: "\n"))
        for row in 0..<bars.count {
            switch timeStyle {
            case .iso8601: TimeParser.appendISO8601(bars.timestamps[row], to: &out)
            case .epochMilliseconds: Self.appendInteger(bars.timestamps[row], to: &out)
            }
            for column in columns {
                out.append(UInt8(ascii: ","))
                Self.appendNumber(column[row], to: &out)
            }
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// Writes bars and extra columns to a CSV file (replacing it), creating the folder if needed.
    ///
    /// - Parameters:
    ///   - bars: The bars.
    ///   - extras: More named columns, each as long as `bars`.
    ///   - path: The file to write.
    /// - Throws: ``DataFileError`` when the file cannot be written.
    public func write(_ bars: BarSeries, extras: [(name: String, values: [Double])] = [], to path: String) throws(DataFileError) {
        let bytes = encode(bars, extras: extras)
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try bytes.withUnsafeBytes { try Data($0).write(to: url, options: .atomic) }
        } catch {
            throw DataFileError(file: url.lastPathComponent, reason: "cannot write the file: \(error.localizedDescription)")
        }
    }

    /// A header name, quoted when it holds a separator, quote or line break.
    static func headerField(_ name: String) -> String {
        guard name.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" || $0 == "\t" }) else { return name }
        var escaped = "\""
        for ch in name { escaped += ch == "\"" ? "\"\"" : String(ch) }
        return escaped + "\""
    }

    /// The shortest round-trip decimal form; nothing for NaN.
    @inline(__always)
    static func appendNumber(_ value: Double, to out: inout [UInt8]) {
        if value.isNaN { return }
        // Integral values that fit are written without the ".0" Swift would add, which the
        // loader reads back identically and keeps volume columns compact.
        if value == value.rounded(.towardZero) && value.magnitude < 1e15 && !(value == 0 && value.sign == .minus) {
            appendInteger(Int64(value), to: &out)
            return
        }
        var text = value.description
        text.withUTF8 { out.append(contentsOf: $0) }
    }

    @inline(__always)
    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        var v = value.magnitude
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - n] = UInt8(truncatingIfNeeded: 48 + v % 10)
                v /= 10
                n += 1
            } while v > 0
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(20 - n)...]))
        }
    }
}

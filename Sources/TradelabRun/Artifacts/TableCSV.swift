import TradelabCore
import TradelabData

/// A table as CSV text: a header of the column names, one line per row; times ISO 8601 UTC,
/// numbers in their shortest exact form, NaN as an empty cell, text quoted when it needs it.
enum TableCSV {
    /// The CSV bytes of `table`.
    /// - Complexity: O(rows × columns).
    static func render(_ table: ParquetTable) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(table.rowCount * table.columns.count * 12 + 256)
        out += table.names.joined(separator: ",").utf8
        out.append(0x0A)
        for row in 0..<table.rowCount {
            for (k, column) in table.columns.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                switch column {
                case .int64(let v): out += String(v[row]).utf8
                case .timestampMillis(let v): out += UTCTime.format(v[row]).utf8
                case .double(let v): if !v[row].isNaN { out += formatNumber(v[row]).utf8 }
                case .bool(let v): out += (v[row] ? "true" : "false").utf8
                case .string(let v): field(v[row], into: &out)
                }
            }
            out.append(0x0A)
        }
        return out
    }

    /// A text cell, quoted when it holds a separator, a quote or a line break.
    private static func field(_ text: String, into out: inout [UInt8]) {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else {
            out += text.utf8
            return
        }
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") { out.append(byte) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
    }
}

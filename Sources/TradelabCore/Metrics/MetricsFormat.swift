/// Number, duration and date rendering for metric reports (and the CLI's tables), without Foundation.
public enum MetricsFormat {
    /// Rendering of a missing (undefined) value.
    static let missing = "n/a"

    /// `value` with exactly `decimals` digits after the point, rounded half away from zero;
    /// thousands separated by commas when `grouping` is set. "inf", "-inf", "nan" for
    /// non-finite values; plain `String(value)` beyond 1e15.
    public static func fixed(_ value: Double, decimals: Int = 2, grouping: Bool = false) -> String {
        precondition((0...9).contains(decimals), "decimals \(decimals) out of 0...9")
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * Double(scale)).rounded()
        guard scaled < 9e18, abs(value) < 1e15 else { return String(value) }
        let units = UInt64(scaled)
        var integer = String(units / scale)
        if grouping, integer.count > 3 {
            var grouped = ""
            for (i, ch) in integer.enumerated() {
                if i > 0, (integer.count - i) % 3 == 0 { grouped.append(",") }
                grouped.append(ch)
            }
            integer = grouped
        }
        var text = (value < 0 && units != 0 ? "-" : "") + integer
        if decimals > 0 {
            let fraction = String(units % scale)
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return text
    }

    /// A fraction as a percentage with 2 decimals: 0.1234 -> "12.34%"; nil -> "n/a".
    static func percent(_ fraction: Double?) -> String {
        guard let fraction else { return missing }
        return fixed(fraction * 100) + "%"
    }

    /// A ratio with 2 decimals; "inf" for +infinity; nil -> "n/a".
    static func ratio(_ value: Double?) -> String {
        value.map { fixed($0) } ?? missing
    }

    /// A cash amount with 2 decimals and thousands separators: "12,345.67"; nil -> "n/a".
    static func cash(_ value: Double?) -> String {
        value.map { fixed($0, grouping: true) } ?? missing
    }

    /// An integer with thousands separators: "1,000,000".
    static func count(_ value: Int) -> String {
        fixed(Double(value), decimals: 0, grouping: true)
    }

    /// A duration as its largest unit and the next one when not zero: "3d 4h", "5h", "2m 30s",
    /// "750ms", "0s". Units: d, h, m, s, ms (truncated, not rounded).
    static func duration(milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        if milliseconds < 0 { return "-" + duration(milliseconds: milliseconds == .min ? .max : -milliseconds) }
        let units: [(Int64, String)] = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1_000, "s"), (1, "ms")]
        guard let first = units.firstIndex(where: { milliseconds >= $0.0 }) else { return "0s" }
        let (size, name) = units[first]
        var text = "\(milliseconds / size)\(name)"
        if first + 1 < units.count {
            let (nextSize, nextName) = units[first + 1]
            let next = (milliseconds % size) / nextSize
            if next > 0 { text += " \(next)\(nextName)" }
        }
        return text
    }

    /// A duration given as a (possibly fractional) number of milliseconds, rounded to a millisecond.
    static func duration(milliseconds: Double?) -> String {
        guard let milliseconds, milliseconds.isFinite, abs(milliseconds) < 9e18 else { return missing }
        return duration(milliseconds: Int64(milliseconds.rounded()))
    }

    /// A UTC time: "2024-01-31 12:05 UTC"; nil -> "n/a".
    static func date(_ milliseconds: Int64?) -> String {
        guard let milliseconds else { return missing }
        return CivilDate(utcMilliseconds: milliseconds).description + " UTC"
    }
}

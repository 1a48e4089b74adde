import TradelabCore

/// The unit of a numeric epoch timestamp.
public enum EpochUnit: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00Z (Unix time).
    case seconds
    /// Milliseconds (JavaScript, Binance until 2024, pandas `to_json`).
    case milliseconds
    /// Microseconds (Binance spot files from 2025).
    case microseconds
    /// Nanoseconds (pandas/numpy `datetime64[ns]` as integers).
    case nanoseconds

    /// Detects the unit of an epoch value from its magnitude.
    ///
    /// | `abs(value)`          | unit         | unambiguous for dates    |
    /// |-----------------------|--------------|--------------------------|
    /// | `< 10^11`             | seconds      | up to 5138-11-16         |
    /// | `10^11 ..< 10^14`     | milliseconds | 1973-03-03 ... 5138      |
    /// | `10^14 ..< 10^17`     | microseconds | 1973-03-03 ... 5138      |
    /// | `>= 10^17`            | nanoseconds  | from 1973-03-03          |
    ///
    /// So any date from March 1973 on is read right whatever the unit; earlier dates in ms, µs
    /// or ns need ``CSVOptions/epochUnit``.
    @inlinable
    public static func detect(magnitude: UInt64) -> EpochUnit {
        if magnitude < 100_000_000_000 { return .seconds }
        if magnitude < 100_000_000_000_000 { return .milliseconds }
        if magnitude < 100_000_000_000_000_000 { return .microseconds }
        return .nanoseconds
    }

    /// Short unit name: "s", "ms", "µs", "ns".
    public var description: String {
        switch self {
        case .seconds: "s"
        case .milliseconds: "ms"
        case .microseconds: "µs"
        case .nanoseconds: "ns"
        }
    }
}

/// Byte-level parsers for the time values the loader accepts. All results are UTC milliseconds.
@usableFromInline
enum TimeParser {
    // MARK: Epoch numbers

    /// Parses an epoch number (`1704164645`, `1704164645123`, `1704164645.5`, `1.7e9`),
    /// detecting the unit from the magnitude unless `unit` is given.
    /// - Returns: Milliseconds (floored) and the unit used, or nil when the bytes are no number
    ///   or the value does not fit.
    @inlinable
    static func parseEpoch(_ p: UnsafePointer<UInt8>, count: Int, unit forced: EpochUnit?) -> (ms: Int64, unit: EpochUnit)? {
        var i = 0
        var negative = false
        if count > 0 && (p[0] == UInt8(ascii: "-") || p[0] == UInt8(ascii: "+")) {
            negative = p[0] == UInt8(ascii: "-")
            i = 1
        }
        var integer: UInt64 = 0
        var digits = 0
        while i < count {
            let d = p[i] &- UInt8(ascii: "0")
            if d > 9 { break }
            if integer > (UInt64(Int64.max) - 9) / 10 { return nil }
            integer = integer * 10 + UInt64(d)
            digits += 1
            i += 1
        }
        // Fraction digits, kept exactly: up to 9 of them as an integer, plus "anything beyond".
        var fraction: UInt64 = 0
        var fractionDigits = 0
        var fractionRest = false
        if i < count && p[i] == UInt8(ascii: ".") {
            i += 1
            while i < count {
                let d = p[i] &- UInt8(ascii: "0")
                if d > 9 { break }
                if fractionDigits < 9 {
                    fraction = fraction * 10 + UInt64(d)
                    fractionDigits += 1
                } else if d != 0 {
                    fractionRest = true
                }
                i += 1
            }
        }
        if i < count && (p[i] | 0x20) == UInt8(ascii: "e") {
            // Scientific notation (e.g. pandas writing epoch as float): go through Double.
            guard let value = DecimalParser.parse(p, count: count), value.isFinite else { return nil }
            let unit = forced ?? EpochUnit.detect(magnitude: value.magnitude < 1e19 ? UInt64(value.magnitude) : UInt64.max)
            let ms: Double = switch unit {
            case .seconds: value * 1000
            case .milliseconds: value
            case .microseconds: value / 1000
            case .nanoseconds: value / 1_000_000
            }
            let floored = ms.rounded(.down)
            guard floored.magnitude < 9.2e18 else { return nil }
            return (Int64(floored), unit)
        }
        guard i == count, digits > 0 || fractionDigits > 0 else { return nil }
        let unit = forced ?? EpochUnit.detect(magnitude: integer)
        // Scale the 9-digit fraction to nanoseconds of the unit.
        var frac9 = fraction
        for _ in fractionDigits..<9 { frac9 *= 10 }
        var ms: UInt64
        var remainder: Bool
        switch unit {
        case .seconds:
            guard integer <= UInt64(Int64.max) / 1000 - 1 else { return nil }
            ms = integer * 1000 + frac9 / 1_000_000
            remainder = frac9 % 1_000_000 != 0 || fractionRest
        case .milliseconds:
            ms = integer
            remainder = frac9 != 0 || fractionRest
        case .microseconds:
            ms = integer / 1000
            remainder = integer % 1000 != 0 || frac9 != 0 || fractionRest
        case .nanoseconds:
            ms = integer / 1_000_000
            remainder = integer % 1_000_000 != 0 || frac9 != 0 || fractionRest
        }
        if negative {
            // Floor towards the past, like a date parser would.
            return (-Int64(ms) - (remainder ? 1 : 0), unit)
        }
        return (Int64(ms), unit)
    }

    // MARK: Calendar dates and times

    @inlinable
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Reads 1...`maxDigits` digits at `i`; returns the value and the new position.
    @inlinable
    static func digits(_ p: UnsafePointer<UInt8>, _ i: Int, _ count: Int, min: Int, max: Int) -> (value: Int, end: Int)? {
        var j = i, value = 0
        while j < count && j - i < max {
            let d = p[j] &- UInt8(ascii: "0")
            if d > 9 { break }
            value = value * 10 + Int(d)
            j += 1
        }
        return j - i >= min ? (value, j) : nil
    }

    /// Parses a calendar date with an optional time of day and zone.
    ///
    /// Dates: `2024-01-02`, `2024/01/02`, `2024.01.02` (year first) or `02.01.2024` (day first,
    /// dots only). Then optionally `T`, `t` or spaces and `HH:MM[:SS[.fraction]]`, then optionally
    /// `Z`, `UTC`, `GMT` or an offset `+HH:MM`, `+HHMM`, `+HH`. No zone means UTC.
    /// - Returns: Milliseconds (fractions below a millisecond are floored) and whether a time of
    ///   day was present, or nil when the bytes are not such a date.
    @inlinable
    static func parseDateTime(_ p: UnsafePointer<UInt8>, count: Int) -> (ms: Int64, hasTime: Bool)? {
        guard let date = parseDate(p, count: count) else { return nil }
        var i = date.end
        if i == count { return (Int64(date.days) * 86_400_000, false) }
        guard p[i] == UInt8(ascii: "T") || p[i] == UInt8(ascii: "t") || p[i] == UInt8(ascii: " ") else { return nil }
        while i < count && (p[i] == UInt8(ascii: " ") || p[i] == UInt8(ascii: "T") || p[i] == UInt8(ascii: "t")) { i += 1 }
        guard let time = parseTimeOfDay(p, from: i, count: count) else { return nil }
        i = time.end
        while i < count && p[i] == UInt8(ascii: " ") { i += 1 }
        guard let offset = parseZone(p, from: i, count: count) else { return nil }
        return (Int64(date.days) * 86_400_000 + time.ms - offset, true)
    }

    /// Parses a date alone (the whole field) into a day number.
    @inlinable
    static func parseDateOnly(_ p: UnsafePointer<UInt8>, count: Int) -> Int? {
        guard let date = parseDate(p, count: count), date.end == count else { return nil }
        return date.days
    }

    @inlinable
    static func parseDate(_ p: UnsafePointer<UInt8>, count: Int) -> (days: Int, end: Int)? {
        guard count >= 8 else { return nil }
        var year: Int, month: Int, day: Int, i: Int
        if let y = digits(p, 0, count, min: 4, max: 4), y.end < count,
           p[y.end] == UInt8(ascii: "-") || p[y.end] == UInt8(ascii: "/") || p[y.end] == UInt8(ascii: ".") {
            let sep = p[y.end]
            guard let m = digits(p, y.end + 1, count, min: 1, max: 2), m.end < count, p[m.end] == sep,
                  let d = digits(p, m.end + 1, count, min: 1, max: 2) else { return nil }
            (year, month, day, i) = (y.value, m.value, d.value, d.end)
        } else if let d = digits(p, 0, count, min: 1, max: 2), d.end < count, p[d.end] == UInt8(ascii: "."),
                  let m = digits(p, d.end + 1, count, min: 1, max: 2), m.end < count, p[m.end] == UInt8(ascii: "."),
                  let y = digits(p, m.end + 1, count, min: 4, max: 4) {
            // Day-first with dots (Dukascopy, European exports): 02.01.2024.
            (year, month, day, i) = (y.value, m.value, d.value, y.end)
        } else {
            return nil
        }
        guard month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year: year, month: month) else { return nil }
        if i < count && p[i] >= UInt8(ascii: "0") && p[i] <= UInt8(ascii: "9") { return nil }
        return (UTCTime.days(year: year, month: month, day: day), i)
    }

    /// Parses `H:MM`, `HH:MM:SS` or `HH:MM:SS.fraction` at `from`.
    @inlinable
    static func parseTimeOfDay(_ p: UnsafePointer<UInt8>, from: Int, count: Int) -> (ms: Int64, end: Int)? {
        guard let h = digits(p, from, count, min: 1, max: 2), h.end < count, p[h.end] == UInt8(ascii: ":"),
              let m = digits(p, h.end + 1, count, min: 2, max: 2) else { return nil }
        var i = m.end
        var seconds = 0, millis = 0
        if i < count && p[i] == UInt8(ascii: ":") {
            guard let s = digits(p, i + 1, count, min: 2, max: 2) else { return nil }
            seconds = s.value
            i = s.end
            if i < count && (p[i] == UInt8(ascii: ".") || p[i] == UInt8(ascii: ",")) {
                i += 1
                var n = 0
                while i < count, case let d = p[i] &- UInt8(ascii: "0"), d <= 9 {
                    if n < 3 { millis = millis * 10 + Int(d) }
                    n += 1
                    i += 1
                }
                guard n > 0 else { return nil }
                for _ in min(n, 3)..<3 { millis *= 10 }
            }
        }
        guard h.value <= 23, m.value <= 59, seconds <= 59 else {
            // 24:00:00 means the end of the day, as ISO 8601 allows.
            guard h.value == 24, m.value == 0, seconds == 0, millis == 0 else { return nil }
            return (86_400_000, i)
        }
        return (Int64(((h.value * 60 + m.value) * 60 + seconds) * 1000 + millis), i)
    }

    /// Parses a whole field as a time of day (for a separate time column).
    @inlinable
    static func parseTimeOfDayOnly(_ p: UnsafePointer<UInt8>, count: Int) -> Int64? {
        guard let t = parseTimeOfDay(p, from: 0, count: count), t.end == count else { return nil }
        return t.ms
    }

    /// Parses the zone suffix at `from` (possibly empty) into an offset from UTC in milliseconds.
    @inlinable
    static func parseZone(_ p: UnsafePointer<UInt8>, from: Int, count: Int) -> Int64? {
        var i = from
        if i == count { return 0 }
        let c = p[i] | 0x20
        if c == UInt8(ascii: "z") { return i + 1 == count ? 0 : nil }
        if count - i == 3 {
            let a = p[i] | 0x20, b = p[i + 1] | 0x20, d = p[i + 2] | 0x20
            if (a, b, d) == (UInt8(ascii: "u"), UInt8(ascii: "t"), UInt8(ascii: "c"))
                || (a, b, d) == (UInt8(ascii: "g"), UInt8(ascii: "m"), UInt8(ascii: "t")) { return 0 }
        }
        guard p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") else { return nil }
        let sign: Int64 = p[i] == UInt8(ascii: "-") ? -1 : 1
        i += 1
        guard let h = digits(p, i, count, min: 2, max: 2) else { return nil }
        i = h.end
        var minutes = 0
        if i < count {
            if p[i] == UInt8(ascii: ":") { i += 1 }
            guard let m = digits(p, i, count, min: 2, max: 2) else { return nil }
            minutes = m.value
            i = m.end
        }
        guard i == count, h.value <= 23, minutes <= 59 else { return nil }
        return sign * Int64(h.value * 60 + minutes) * 60_000
    }

    // MARK: Formatting

    /// Writes `ms` as `2024-01-02T03:04:05Z`, or `2024-01-02T03:04:05.678Z` when the
    /// milliseconds are not zero.
    @inlinable
    static func appendISO8601(_ ms: Int64, to out: inout [UInt8]) {
        var days = ms / 86_400_000
        var rest = ms % 86_400_000
        if rest < 0 {
            rest += 86_400_000
            days -= 1
        }
        let (year, month, day) = UTCTime.civil(days: Int(days))
        let millis = Int(rest % 1000)
        let secondOfDay = Int(rest / 1000)
        @inline(__always) func two(_ v: Int) {
            out.append(UInt8(truncatingIfNeeded: 48 + v / 10))
            out.append(UInt8(truncatingIfNeeded: 48 + v % 10))
        }
        if year >= 0 && year <= 9999 {
            two(year / 100)
            two(year % 100)
        } else {
            out.append(contentsOf: String(year).utf8)
        }
        out.append(UInt8(ascii: "-")); two(month)
        out.append(UInt8(ascii: "-")); two(day)
        out.append(UInt8(ascii: "T")); two(secondOfDay / 3600)
        out.append(UInt8(ascii: ":")); two(secondOfDay / 60 % 60)
        out.append(UInt8(ascii: ":")); two(secondOfDay % 60)
        if millis != 0 {
            out.append(UInt8(ascii: "."))
            out.append(UInt8(truncatingIfNeeded: 48 + millis / 100))
            two(millis % 100)
        }
        out.append(UInt8(ascii: "Z"))
    }

    /// `ms` as an ISO 8601 UTC string (for messages and notes).
    static func iso8601(_ ms: Int64) -> String {
        var out: [UInt8] = []
        appendISO8601(ms, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

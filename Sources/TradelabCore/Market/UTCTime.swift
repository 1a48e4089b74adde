/// UTC calendar arithmetic on epoch milliseconds, without Foundation (proleptic Gregorian).
public enum UTCTime {
    /// Days since 1970-01-01 for a civil date (Howard Hinnant's days_from_civil).
    @inlinable
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day count since 1970-01-01 (Hinnant's civil_from_days).
    @inlinable
    public static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Calendar fields of a UTC millisecond timestamp.
    public static func components(_ ms: Int64) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int) {
        let dayMs: Int64 = 86_400_000
        var days = ms / dayMs
        var rest = ms % dayMs
        if rest < 0 { rest += dayMs; days -= 1 }
        let (y, m, d) = civil(days: Int(days))
        let r = Int(rest)
        return (y, m, d, r / 3_600_000, r / 60_000 % 60, r / 1000 % 60, r % 1000)
    }

    /// ISO 8601 rendering: "2024-01-02T03:04:05Z" (".123" added when milliseconds are not zero);
    /// `dateOnly` gives "2024-01-02".
    public static func format(_ ms: Int64, dateOnly: Bool = false) -> String {
        let c = components(ms)
        guard (0...9999).contains(c.year) else { return padded(c, dateOnly: dateOnly) }
        // Digits written in place: results format two times per trade and order.
        let length = dateOnly ? 10 : c.millisecond == 0 ? 20 : 24
        return String(unsafeUninitializedCapacity: length) { text in
            func put(_ value: Int, width: Int, at offset: Int) {
                var rest = value
                for k in (offset..<offset + width).reversed() {
                    text[k] = UInt8(truncatingIfNeeded: 48 + rest % 10)
                    rest /= 10
                }
            }
            put(c.year, width: 4, at: 0); text[4] = 45; put(c.month, width: 2, at: 5); text[7] = 45; put(c.day, width: 2, at: 8)
            guard !dateOnly else { return length }
            text[10] = 84; put(c.hour, width: 2, at: 11); text[13] = 58; put(c.minute, width: 2, at: 14); text[16] = 58
            put(c.second, width: 2, at: 17)
            if c.millisecond != 0 { text[19] = 46; put(c.millisecond, width: 3, at: 20) }
            text[length - 1] = 90   // "Z"
            return length
        }
    }

    /// The general rendering (years outside 0...9999).
    private static func padded(_ c: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int), dateOnly: Bool) -> String {
        func pad(_ v: Int, _ width: Int = 2) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        let date = "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))"
        if dateOnly { return date }
        let millis = c.millisecond == 0 ? "" : ".\(pad(c.millisecond, 3))"
        return "\(date)T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))\(millis)Z"
    }

    /// Compact rendering for tables: "2024-01-02 03:04" (or "2024-01-02" at midnight).
    public static func short(_ ms: Int64) -> String {
        let c = components(ms)
        let text = format(ms)
        if c.hour == 0, c.minute == 0, c.second == 0, c.millisecond == 0 { return String(text.prefix(10)) }
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(5))
    }

    /// Parses "2024-01-02", "2024-01-02 03:04", "2024-01-02T03:04:05Z", "...+02:00", or epoch
    /// seconds / milliseconds (by magnitude) into UTC milliseconds.
    /// - Throws: ``MarketDataError`` naming the accepted forms.
    public static func parse(_ text: String) throws(MarketDataError) -> Int64 {
        let t = text.trimmingSpaces()
        if let n = Int64(t) { return abs(n) < 100_000_000_000 ? n * 1000 : n }
        let bad = MarketDataError(field: "time", reason: "cannot read '\(text)' as a time; use 2024-01-31, 2024-01-31T12:00:00Z or epoch seconds/milliseconds")
        let chars = Array(t.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= chars.count else { return nil }
            var v = 0
            for c in chars[from..<(from + count)] {
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let y = number(0, 4), chars.count >= 10, chars[4] == 45 || chars[4] == 47, let mo = number(5, 2), let d = number(8, 2),
              (1...12).contains(mo), (1...31).contains(d) else { throw bad }
        var ms = Int64(days(year: y, month: mo, day: d)) * 86_400_000
        var i = 10
        if i < chars.count, chars[i] == 84 || chars[i] == 32 {          // 'T' or ' '
            guard let h = number(i + 1, 2), chars.count > i + 3, chars[i + 3] == 58, let mi = number(i + 4, 2) else { throw bad }
            ms += Int64(h) * 3_600_000 + Int64(mi) * 60_000
            i += 6
            if i < chars.count, chars[i] == 58 {
                guard let s = number(i + 1, 2) else { throw bad }
                ms += Int64(s) * 1000
                i += 3
                if i < chars.count, chars[i] == 46 {                    // fraction
                    i += 1
                    var scale: Int64 = 100, frac: Int64 = 0
                    while i < chars.count, chars[i] >= 48, chars[i] <= 57 {
                        frac += Int64(chars[i] - 48) * scale
                        scale /= 10
                        i += 1
                    }
                    ms += frac
                }
            }
        }
        if i < chars.count {
            if chars[i] == 90, i == chars.count - 1 { return ms }        // 'Z'
            guard chars[i] == 43 || chars[i] == 45, let oh = number(i + 1, 2) else { throw bad }
            let rest = i + 3 < chars.count && chars[i + 3] == 58 ? i + 4 : i + 3
            let om = number(rest, 2) ?? 0
            let offset = Int64(oh * 60 + om) * 60_000
            ms += chars[i] == 43 ? -offset : offset
        }
        return ms
    }
}

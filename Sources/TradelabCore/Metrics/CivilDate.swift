/// A UTC calendar date and time of day, computed from epoch milliseconds with integer arithmetic.
///
/// TradelabCore does no I/O and does not use Foundation's `Calendar`; month boundaries for the
/// monthly returns table and dates in reports come from Howard Hinnant's `civil_from_days` /
/// `days_from_civil` algorithms (proleptic Gregorian calendar, valid for any `Int64` day count
/// that does not overflow).
struct CivilDate: Sendable, Equatable, Hashable {
    /// Calendar year, e.g. 2024 (year 0 is 1 BC).
    var year: Int64
    /// Month, 1...12.
    var month: Int
    /// Day of the month, 1...31.
    var day: Int
    /// Milliseconds since the start of the day, 0..<86_400_000.
    var millisecondOfDay: Int64 = 0

    static let millisecondsPerDay: Int64 = 86_400_000

    init(year: Int64, month: Int, day: Int, millisecondOfDay: Int64 = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.millisecondOfDay = millisecondOfDay
    }

    /// The UTC date and time of `milliseconds` since the Unix epoch (floor division before 1970).
    init(utcMilliseconds milliseconds: Int64) {
        var days = milliseconds / Self.millisecondsPerDay
        var rest = milliseconds % Self.millisecondsPerDay
        if rest < 0 {
            days -= 1
            rest += Self.millisecondsPerDay
        }
        self.init(daysSinceEpoch: days)
        millisecondOfDay = rest
    }

    /// The date `days` after 1970-01-01 (negative before).
    init(daysSinceEpoch days: Int64) {
        let (y, m, d) = UTCTime.civil(days: Int(days))
        year = Int64(y)
        month = m
        day = d
    }

    /// Days from 1970-01-01 to `year-month-day` (negative before).
    static func daysSinceEpoch(year: Int64, month: Int, day: Int) -> Int64 {
        Int64(UTCTime.days(year: Int(year), month: month, day: day))
    }

    /// Epoch milliseconds of 00:00 UTC on the first day of the month after this date's month,
    /// saturating at `Int64.max` instead of overflowing.
    var startOfNextMonth: Int64 {
        let (y, m) = month == 12 ? (year + 1, 1) : (year, month + 1)
        let days = Self.daysSinceEpoch(year: y, month: m, day: 1)
        let (ms, overflow) = days.multipliedReportingOverflow(by: Self.millisecondsPerDay)
        return overflow ? (days < 0 ? Int64.min : Int64.max) : ms
    }

    /// "2024-01-31 12:05" (UTC; seconds are shown only when not zero).
    var description: String {
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        let minutes = millisecondOfDay / 60_000
        let seconds = (millisecondOfDay / 1_000) % 60
        var text = "\(year < 0 ? "-" + pad(-year, 4) : pad(year, 4))-\(pad(Int64(month), 2))-\(pad(Int64(day), 2))"
        text += " \(pad(minutes / 60, 2)):\(pad(minutes % 60, 2))"
        if seconds != 0 { text += ":\(pad(seconds, 2))" }
        return text
    }
}

import TradelabCore

/// A calendar month in UTC: the unit of the Binance cache (one partition file per month).
public struct UTCMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, e.g. 2024.
    public let year: Int
    /// The month, 1...12.
    public let month: Int

    /// Creates a month.
    /// - Precondition: `month` is in 1...12.
    public init(year: Int, month: Int) {
        precondition((1...12).contains(month), "UTCMonth: month \(month) is not in 1...12")
        self.year = year
        self.month = month
    }

    /// The month containing `time` (UTC milliseconds).
    public init(containing time: Int64) {
        let c = UTCTime.components(time)
        self.init(year: c.year, month: c.month)
    }

    /// Parses `2024-01`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]),
              (1...12).contains(m) else { return nil }
        self.init(year: y, month: m)
    }

    /// First millisecond of the month.
    public var start: Int64 { Int64(UTCTime.days(year: year, month: month, day: 1)) * 86_400_000 }
    /// First millisecond of the next month.
    public var end: Int64 { next.start }
    /// `start..<end`.
    public var range: Range<Int64> { start..<end }
    /// The following month.
    public var next: UTCMonth { month == 12 ? UTCMonth(year: year + 1, month: 1) : UTCMonth(year: year, month: month + 1) }

    /// `2024-01`.
    public var description: String {
        let m = month < 10 ? "0\(month)" : "\(month)"
        return "\(year)-\(m)"
    }

    /// Chronological order.
    public static func < (a: UTCMonth, b: UTCMonth) -> Bool { (a.year, a.month) < (b.year, b.month) }

    /// The months that overlap `range`, oldest first (empty for an empty range).
    /// - Complexity: O(months).
    public static func months(overlapping range: Range<Int64>) -> [UTCMonth] {
        guard !range.isEmpty else { return [] }
        var months: [UTCMonth] = []
        var m = UTCMonth(containing: range.lowerBound)
        while m.start < range.upperBound {
            months.append(m)
            m = m.next
        }
        return months
    }
}

/// The kind of market a sample symbol imitates; it decides the trading session.
///
/// Sessions are in UTC and ignore daylight saving time and holidays (a synthetic simplification):
/// - crypto: always open (24/7);
/// - stock: the US regular session 14:30-21:00 UTC, Monday to Friday (390 one-minute bars a day);
/// - forex: Sunday 22:00 to Friday 22:00 UTC, continuously.
public enum SampleCategory: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// Crypto pairs: trade around the clock.
    case crypto
    /// US stocks: regular session only.
    case stock
    /// Currency pairs: Sunday evening to Friday evening.
    case forex

    /// "crypto", "stock", "forex".
    public var description: String { rawValue }

    /// The session in words, for listings and docs.
    public var sessionDescription: String {
        switch self {
        case .crypto: "24/7"
        case .stock: "Mon-Fri 14:30-21:00 UTC"
        case .forex: "Sun 22:00 - Fri 22:00 UTC"
        }
    }

    /// Minutes of trading in a week.
    public var minutesPerWeek: Int {
        switch self {
        case .crypto: 7 * 1440
        case .stock: 5 * 390
        case .forex: 5 * 1440
        }
    }

    /// Trading minutes in an average year (365.25 days) of this session: the annualisation
    /// factor of the generator's volatility and drift.
    public var minutesPerYear: Double { Double(minutesPerWeek) * 365.25 / 7 }

    /// True when the session is open during the minute that starts at `time` (UTC milliseconds).
    @inlinable
    public func isOpen(at time: Int64) -> Bool {
        var days = time / 86_400_000
        var msOfDay = time % 86_400_000
        if msOfDay < 0 {
            msOfDay += 86_400_000
            days -= 1
        }
        let minute = Int(msOfDay / 60_000)
        // 1970-01-01 was a Thursday: weekday 0 = Monday ... 6 = Sunday.
        var weekday = Int((days + 3) % 7)
        if weekday < 0 { weekday += 7 }
        switch self {
        case .crypto:
            return true
        case .stock:
            return weekday <= 4 && minute >= 870 && minute < 1260
        case .forex:
            switch weekday {
            case 0...3: return true
            case 4: return minute < 1320
            case 6: return minute >= 1320
            default: return false
            }
        }
    }
}

/// A bar timeframe: 1m 5m 15m 30m 1h 4h 1d 1w.
///
/// Bars of a timeframe are aligned to UTC boundaries: a 4h bar opens at 00:00, 04:00, ... UTC, a
/// daily bar at 00:00 UTC, a weekly bar at Monday 00:00 UTC (as exchanges such as Binance do).
public enum Timeframe: String, CaseIterable, Sendable, Codable, Comparable, CustomStringConvertible {
    case m1 = "1m", m5 = "5m", m15 = "15m", m30 = "30m", h1 = "1h", h4 = "4h", d1 = "1d", w1 = "1w"

    /// Length of one bar in milliseconds.
    public var milliseconds: Int64 {
        switch self {
        case .m1: 60_000
        case .m5: 300_000
        case .m15: 900_000
        case .m30: 1_800_000
        case .h1: 3_600_000
        case .h4: 14_400_000
        case .d1: 86_400_000
        case .w1: 604_800_000
        }
    }

    /// The canonical name, e.g. "15m".
    public var description: String { rawValue }

    /// Parses "1m", "5m", ..., "1w"; also accepts "60m", "1H", "D", "daily", "W", "weekly", "4hour".
    /// - Throws: ``MarketDataError`` listing the accepted names.
    public init(parsing text: String) throws(MarketDataError) {
        let t = text.lowercased().trimmingSpaces()
        let aliases: [String: Timeframe] = [
            "1min": .m1, "5min": .m5, "15min": .m15, "30min": .m30, "60m": .h1, "60min": .h1, "1hour": .h1,
            "240m": .h4, "4hour": .h4, "d": .d1, "1day": .d1, "day": .d1, "daily": .d1, "24h": .d1,
            "w": .w1, "1week": .w1, "week": .w1, "weekly": .w1, "7d": .w1,
        ]
        if let tf = Timeframe(rawValue: t) ?? aliases[t] {
            self = tf
        } else {
            throw MarketDataError(field: "timeframe", reason: "unknown timeframe '\(text)'; use one of \(Timeframe.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// The timeframe whose bar length is exactly `milliseconds`, if any.
    public init?(milliseconds: Int64) {
        guard let tf = Timeframe.allCases.first(where: { $0.milliseconds == milliseconds }) else { return nil }
        self = tf
    }

    /// The open time of the bar of this timeframe that contains `time` (UTC milliseconds).
    @inlinable
    public func bucketStart(_ time: Int64) -> Int64 {
        // 1970-01-01 was a Thursday; weekly bars open on Mondays, 4 days later.
        let offset: Int64 = self == .w1 ? 4 * 86_400_000 : 0
        let shifted = time - offset
        let length = milliseconds
        var q = shifted / length
        if shifted % length < 0 { q -= 1 }
        return q * length + offset
    }

    /// Nominal bars per year (365.25 days of continuous trading).
    public var barsPerYear: Double { 365.25 * 86_400_000 / Double(milliseconds) }

    /// Orders timeframes by bar length.
    public static func < (a: Timeframe, b: Timeframe) -> Bool { a.milliseconds < b.milliseconds }

    /// Guesses the timeframe of a series from the most common gap between bars.
    /// Returns nil for fewer than two bars or when the common gap is no known timeframe.
    public static func detect(_ timestamps: [Int64]) -> Timeframe? {
        guard timestamps.count >= 2 else { return nil }
        var counts: [Int64: Int] = [:]
        let step = max(1, (timestamps.count - 1) / 10_000)
        var i = 1
        while i < timestamps.count {
            counts[timestamps[i] - timestamps[i - 1], default: 0] += 1
            i += step
        }
        // Sessions (nights, weekends) make bigger gaps; the smallest frequent gap is the bar length.
        guard let gap = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) })?.key else { return nil }
        return Timeframe(milliseconds: gap)
    }
}

/// A span of time written as a number and a unit: "90m", "12h", "7d", "2w".
public struct TimeSpan: Sendable, Equatable, CustomStringConvertible {
    /// Length in milliseconds.
    public var milliseconds: Int64
    /// The text it was parsed from, or a canonical rendering.
    public var description: String

    /// Creates a span from milliseconds.
    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
        let units: [(Int64, String)] = [(604_800_000, "w"), (86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1_000, "s")]
        let unit = units.first { milliseconds % $0.0 == 0 && milliseconds >= $0.0 } ?? (1, "ms")
        description = "\(milliseconds / unit.0)\(unit.1)"
    }

    /// Parses "30s", "90m", "12h", "7d", "2w" (a bare number means days).
    /// - Throws: ``MarketDataError`` naming the accepted forms.
    public init(parsing text: String) throws(MarketDataError) {
        let t = text.lowercased().trimmingSpaces()
        let units: [(String, Int64)] = [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000), ("w", 604_800_000)]
        var digits = Substring(t), factor: Int64 = 86_400_000
        for (suffix, ms) in units.reversed() where t.hasSuffix(suffix) {
            // "ms" must win over "s": check the longer suffix first by order above.
            if suffix == "s", t.hasSuffix("ms") { continue }
            digits = t.dropLast(suffix.count)
            factor = ms
            break
        }
        guard let value = Int64(digits), value > 0 else {
            throw MarketDataError(field: "duration", reason: "invalid duration '\(text)'; write a positive number and a unit: 30s, 90m, 12h, 7d, 2w")
        }
        self.milliseconds = value * factor
        self.description = t
    }
}

extension TimeSpan: Codable {
    /// Reads the text form ("7d").
    /// - Throws: `DecodingError.dataCorrupted` with the parser's message.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do { self = try TimeSpan(parsing: text) } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Writes the text form ("7d").
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension String {
    @usableFromInline
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}

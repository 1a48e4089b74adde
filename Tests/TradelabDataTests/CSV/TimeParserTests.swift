import Foundation
import Testing
import TradelabCore
@testable import TradelabData

@Suite struct TimeParserTests {
    func dateTime(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { TimeParser.parseDateTime($0.baseAddress!, count: $0.count)?.ms }
    }

    func epoch(_ text: String, unit: EpochUnit? = nil) -> (ms: Int64, unit: EpochUnit)? {
        var text = text
        return text.withUTF8 { TimeParser.parseEpoch($0.baseAddress!, count: $0.count, unit: unit) }
    }

    static let base = utc(2024, 1, 2, 3, 4, 5)

    @Test(arguments: [
        ("2024-01-02", utc(2024, 1, 2)),
        ("2024/01/02", utc(2024, 1, 2)),
        ("2024.01.02", utc(2024, 1, 2)),
        ("2024-1-2", utc(2024, 1, 2)),
        ("02.01.2024", utc(2024, 1, 2)),
        ("02.01.2024 03:04:05.000", base),
        ("2024-01-02 03:04:05", base),
        ("2024-01-02T03:04:05", base),
        ("2024-01-02t03:04:05z", base),
        ("2024-01-02 03:04", utc(2024, 1, 2, 3, 4)),
        ("2024-01-02 3:04:05", base),
        ("2024-01-02T03:04:05Z", base),
        ("2024-01-02T03:04:05.5Z", base + 500),
        ("2024-01-02T03:04:05.123Z", base + 123),
        ("2024-01-02T03:04:05.123456789Z", base + 123),
        ("2024-01-02T03:04:05,25", base + 250),
        ("2024-01-02T05:04:05+02:00", base),
        ("2024-01-02T05:04:05+0200", base),
        ("2024-01-02T05:04:05+02", base),
        ("2024-01-01T22:04:05-0500", base),
        ("2024-01-02T08:34:05.250+05:30", base + 250),
        ("2024-01-02 03:04:05+00:00", base),
        ("2024-01-02 03:04:05 UTC", base),
        ("2024-01-02 03:04:05 GMT", base),
        ("2024-02-29", utc(2024, 2, 29)),
        ("2000-02-29T00:00:00Z", utc(2000, 2, 29)),
        ("1969-12-31T23:59:59Z", -1000),
        ("1970-01-01T00:00:00Z", 0),
        ("2024-01-02T24:00:00", utc(2024, 1, 3)),
    ])
    func parsesDatesAndDateTimes(text: String, expected: Int64) {
        #expect(dateTime(text) == expected, "\(text)")
    }

    @Test(arguments: ["2024-13-01", "2024-00-10", "2023-02-29", "2024-04-31", "2024-01-02T25:00:00", "2024-01-02T03:60:00",
                      "2024-01-02T03:04:61", "2024-01-02T03:04:05+25:00", "2024-01-02X03:04:05", "2024-01-02T03:04:05Q",
                      "01/02/2024", "24-01-02", "2024-01-023", "2024-01-02T", "2024-01-02T03", "2024-01-02T03:04:05.",
                      "2024-01-02T03:04:05+2"])
    func rejectsInvalidOrAmbiguousDates(text: String) {
        #expect(dateTime(text) == nil, "\(text)")
    }

    @Test(arguments: [
        ("1704164645", 1_704_164_645_000, EpochUnit.seconds),
        ("1704164645.123", 1_704_164_645_123, .seconds),
        ("1704164645.1239", 1_704_164_645_123, .seconds),
        ("1704164645123", 1_704_164_645_123, .milliseconds),
        ("1704164645123.0", 1_704_164_645_123, .milliseconds),
        ("1704164645123456", 1_704_164_645_123, .microseconds),
        ("1704164645123456789", 1_704_164_645_123, .nanoseconds),
        ("1.704164645e9", 1_704_164_645_000, .seconds),
        ("1.704164645123e12", 1_704_164_645_123, .milliseconds),
        ("0", 0, .seconds),
        ("99999999999", 99_999_999_999_000, .seconds),          // just below 10^11: seconds
        ("100000000000", 100_000_000_000, .milliseconds),       // 10^11: milliseconds (1973-03-03)
        ("99999999999999", 99_999_999_999_999, .milliseconds),
        ("100000000000000", 100_000_000_000, .microseconds),    // 10^14
        ("99999999999999999", 99_999_999_999_999, .microseconds),
        ("100000000000000000", 100_000_000_000, .nanoseconds),  // 10^17
        ("-86400", -86_400_000, .seconds),
        ("-1.5", -1500, .seconds),
    ])
    func detectsEpochUnitsByMagnitude(text: String, ms: Int64, unit: EpochUnit) {
        let parsed = epoch(text)
        #expect(parsed?.ms == ms, "\(text)")
        #expect(parsed?.unit == unit, "\(text)")
    }

    @Test func forcedUnitOverridesMagnitude() {
        #expect(epoch("60000", unit: .milliseconds)?.ms == 60_000)
        #expect(epoch("60000")?.ms == 60_000_000)
        #expect(epoch("1704164645123456", unit: .nanoseconds)?.ms == 1_704_164_645)
    }

    @Test(arguments: ["", "-", "abc", "12:30", "2024-01-02", "1e", "99999999999999999999", "1.5.2"])
    func rejectsNonEpochText(text: String) {
        #expect(epoch(text) == nil, "\(text)")
    }

    @Test func isoFormattingRoundTripsThroughTheParser() {
        var rng = Xoshiro256StarStar(seed: 3)
        for _ in 0..<20_000 {
            // Any millisecond between 1900 and 2200.
            let ms = Int64(bitPattern: rng.next() % 9_467_280_000_000) - 2_208_988_800_000
            let text = TimeParser.iso8601(ms)
            #expect(dateTime(text) == ms, "\(ms) -> \(text)")
            if dateTime(text) != ms { return }
        }
        #expect(TimeParser.iso8601(utc(2024, 1, 2, 3, 4, 5)) == "2024-01-02T03:04:05Z")
        #expect(TimeParser.iso8601(utc(2024, 1, 2, 3, 4, 5, ms: 7)) == "2024-01-02T03:04:05.007Z")
        #expect(TimeParser.iso8601(-1) == "1969-12-31T23:59:59.999Z")
    }

    @Test func civilDateConversionAgreesWithFoundationFrom1600To2380() {
        // Foundation's Gregorian calendar turns Julian before October 1582: compare from 1600 on.
        for days in stride(from: -135_000, to: 150_000, by: 37) {
            let date = UTCTime.civil(days: days)
            #expect(UTCTime.days(year: date.year, month: date.month, day: date.day) == days)
            #expect(Int64(days) * 86_400_000 == utc(date.year, date.month, date.day))
        }
    }
}

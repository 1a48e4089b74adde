import Foundation
import Testing
@testable import TradelabCore

@Suite struct CivilDateTests {
    @Test func knownDates() {
        #expect(CivilDate(utcMilliseconds: 0) == CivilDate(year: 1970, month: 1, day: 1))
        #expect(CivilDate(utcMilliseconds: 951_782_400_000) == CivilDate(year: 2000, month: 2, day: 29))
        #expect(CivilDate(utcMilliseconds: -1) == CivilDate(year: 1969, month: 12, day: 31, millisecondOfDay: 86_399_999))
        #expect(CivilDate.daysSinceEpoch(year: 2024, month: 3, day: 1) == 19_783)
        #expect(CivilDate(utcMilliseconds: 1_709_251_199_999).month == 2)  // 2024-02-29 23:59:59.999
    }

    @Test func daysFromCivilInvertsCivilFromDays() {
        for days in stride(from: Int64(-800_000), through: 800_000, by: 97) {
            let date = CivilDate(daysSinceEpoch: days)
            #expect(CivilDate.daysSinceEpoch(year: date.year, month: date.month, day: date.day) == days)
        }
    }

    @Test func matchesFoundationGregorianCalendarInUTC() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let ms = Int64.random(in: -2_208_988_800_000...4_102_444_800_000, using: &rng)  // 1900...2100
            let date = CivilDate(utcMilliseconds: ms)
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute],
                                                from: Date(timeIntervalSince1970: Double(ms) / 1_000))
            let ours: [Int] = [Int(date.year), date.month, date.day]
            let foundation: [Int] = [parts.year!, parts.month!, parts.day!]
            #expect(ours == foundation, "\(ms)")
            #expect(Int(date.millisecondOfDay / 60_000) == parts.hour! * 60 + parts.minute!, "\(ms)")
        }
    }

    @Test func startOfNextMonthRollsOverYearEnd() {
        let dec = CivilDate(year: 2023, month: 12, day: 31)
        #expect(dec.startOfNextMonth == 1_704_067_200_000)
        #expect(CivilDate(year: 2024, month: 2, day: 10).startOfNextMonth == 1_709_251_200_000)
    }

    @Test func rendersDateAndTime() {
        #expect(CivilDate(utcMilliseconds: 1_706_702_700_000).description == "2024-01-31 12:05")
        #expect(CivilDate(utcMilliseconds: 1_706_702_707_000).description == "2024-01-31 12:05:07")
    }
}

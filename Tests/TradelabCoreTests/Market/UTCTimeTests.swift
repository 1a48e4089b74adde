import Testing
@testable import TradelabCore

@Suite("UTC times")
struct UTCTimeTests {
    @Test func formatWritesISO8601WithMillisecondsOnlyWhenThereAreSome() {
        #expect(UTCTime.format(0) == "1970-01-01T00:00:00Z")
        #expect(UTCTime.format(1_704_067_200_123) == "2024-01-01T00:00:00.123Z")
        #expect(UTCTime.format(1_709_208_000_007) == "2024-02-29T12:00:00.007Z")
        #expect(UTCTime.format(253_402_300_799_000) == "9999-12-31T23:59:59Z")
        #expect(UTCTime.format(1_704_067_200_123, dateOnly: true) == "2024-01-01")
    }

    @Test func formattedTimesParseBackToThemselves() throws {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<20_000 {
            let ms = Int64(rng.next() % 253_402_300_800_000)
            let text = UTCTime.format(ms)
            let c = UTCTime.components(ms)
            #expect(try UTCTime.parse(text) == ms, "\(ms) -> \(text)")
            #expect(text.hasPrefix(String(repeating: "0", count: 4 - String(c.year).count) + String(c.year) + "-"))
        }
    }
}

import Testing
@testable import TradelabCore

@Suite struct BarSeriesTests {
    func make(_ ts: [Int64], _ o: [Double], _ h: [Double], _ l: [Double], _ c: [Double], _ v: [Double]? = nil,
              lines: [Int32]? = nil) throws(MarketDataError) -> BarSeries {
        try BarSeries(timestamps: ts, open: o, high: h, low: l, close: c, volume: v ?? ts.map { _ in 1 }, sourceLines: lines)
    }

    @Test func validSeriesKeepsColumns() throws {
        let s = try make([0, 60_000], [1, 2], [2, 3], [1, 2], [2, 3])
        #expect(s.count == 2)
        #expect(s.close == [2, 3])
    }

    @Test func nonIncreasingTimestampNamesRowAndLine() {
        #expect {
            try make([0, 0], [1, 1], [1, 1], [1, 1], [1, 1], lines: [2, 3])
        } throws: { error in
            let e = error as! MarketDataError
            return e.row == 1 && e.line == 3 && e.field == "time" && e.description.contains("line 3")
        }
    }

    @Test(arguments: [
        ("high", [1.0], [0.5], [1.0], [1.0], [1.0]),   // high below low
        ("open", [3.0], [2.0], [1.0], [1.5], [1.0]),   // open above high
        ("close", [1.5], [2.0], [1.0], [0.5], [1.0]),  // close below low
        ("volume", [1.5], [2.0], [1.0], [1.5], [-1.0]),
        ("close", [1.5], [2.0], [1.0], [Double.nan], [1.0]),
    ])
    func invalidBarNamesField(field: String, o: [Double], h: [Double], l: [Double], c: [Double], v: [Double]) {
        do {
            _ = try make([0], o, h, l, c, v)
            Issue.record("expected an error for \(field)")
        } catch {
            #expect(error.row == 0)
            #expect(error.field == field || (field == "high" && error.field == "low"))
        }
    }

    @Test func betweenSelectsHalfOpenRange() throws {
        let s = try make([0, 10, 20, 30], [1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4])
        #expect(s.between(from: 10, to: 30).close == [2, 3])
        #expect(s.between(from: 11).close == [3, 4])
        #expect(s.between(to: 0).isEmpty)
    }
}

@Suite struct TimeframeTests {
    @Test func weeklyBucketsStartOnMondayUTC() {
        // 2024-01-03 (Wednesday) 12:00 UTC -> Monday 2024-01-01 00:00 UTC.
        #expect(Timeframe.w1.bucketStart(1_704_283_200_000) == 1_704_067_200_000)
        // Before the epoch too.
        #expect(Timeframe.h1.bucketStart(-1) == -3_600_000)
    }

    @Test func resampleAggregatesOHLCV() throws {
        let m = Int64(60_000)
        let s = try BarSeries(timestamps: [0, m, 5 * m, 6 * m], open: [1, 2, 3, 4], high: [2, 5, 4, 6],
                              low: [0.5, 1, 2, 3], close: [2, 3, 4, 5], volume: [1, 2, 3, 4])
        let r = s.resampled(to: .m5)
        #expect(r.timestamps == [0, 5 * m])
        #expect(r.open == [1, 3]); #expect(r.high == [5, 6]); #expect(r.low == [0.5, 2])
        #expect(r.close == [3, 5]); #expect(r.volume == [3, 7])
    }

    @Test func parsesNamesAndSpans() throws {
        #expect(try Timeframe(parsing: "4H") == .h4)
        #expect(try Timeframe(parsing: "daily") == .d1)
        #expect(throws: MarketDataError.self) { try Timeframe(parsing: "3m") }
        #expect(try TimeSpan(parsing: "7d").milliseconds == 7 * 86_400_000)
        #expect(try TimeSpan(parsing: "90m").milliseconds == 90 * 60_000)
        #expect(try TimeSpan(parsing: "500ms").milliseconds == 500)
        #expect(throws: MarketDataError.self) { try TimeSpan(parsing: "-3d") }
        #expect(Timeframe.detect([0, 60_000, 120_000, 600_000]) == .m1)
    }
}

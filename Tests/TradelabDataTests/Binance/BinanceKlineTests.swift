import Foundation
import Testing
import TradelabCore
@testable import TradelabData

@Suite struct BinanceKlineTests {
    @Test func decodesBinancesWireFormatExactly() throws {
        let body = #"[[1704067200000,"42283.58000000","42554.57000000","42261.02000000","42475.23000000","1271.68108000",1704070799999,"53957248.97378900",47134,"682.57581000","28957416.81959800","0"]]"#
        let klines = try BinanceKline.decodePage(Data(body.utf8))
        #expect(klines == [BinanceKline(openTime: 1_704_067_200_000, open: 42283.58, high: 42554.57, low: 42261.02, close: 42475.23,
                                        volume: 1271.68108, closeTime: 1_704_070_799_999, quoteVolume: 53957248.973789, trades: 47134,
                                        takerBuyBase: 682.57581, takerBuyQuote: 28957416.819598)])
        #expect(try BinanceKline.decodePage(Data("[]".utf8)).isEmpty)
    }

    @Test(arguments: [
        #"[[1704067200000,"42283.58"]]"#,                    // too short
        #"[[1704067200000,"abc","1","1","1","1",1,"1",1,"1","1","0"]]"#,
        #"{"code":-1121,"msg":"Invalid symbol."}"#,
        #"[[1704067200000,"1","1""#,                          // cut off mid-body
    ])
    func unreadableBodiesAreMalformedResponses(body: String) {
        #expect {
            try BinanceKline.decodePage(Data(body.utf8))
        } throws: { error in
            guard case .malformedResponse = error as? BinanceError else { return false }
            return true
        }
    }

    @Test func barsFromKlinesKeepTheVolumesAndTradesAsFeatures() throws {
        let klines = [StubExchange.kline(ms(2024, 1, 1), .m1), StubExchange.kline(ms(2024, 1, 1, 0, 1), .m1)]
        let bars = try BarSeries(klines: klines)
        #expect(bars.featureNames == ["quote_asset_volume", "number_of_trades", "taker_buy_base_asset_volume", "taker_buy_quote_asset_volume"])
        #expect(bars.feature(named: "number_of_trades") == klines.map { Double($0.trades) })
        #expect(BinanceCache.klines(from: bars, interval: .m1) == klines)
    }

    @Test(arguments: Timeframe.allCases)
    func everyTimeframeHasABinanceIntervalThatMapsBack(timeframe: Timeframe) {
        #expect(Timeframe(binanceInterval: timeframe.binanceInterval) == timeframe)
        #expect(timeframe.binanceInterval == ["1m", "5m", "15m", "30m", "1h", "4h", "1d", "1w"][Timeframe.allCases.firstIndex(of: timeframe)!])
    }

    @Test(arguments: [
        (Timeframe.m1, UTCMonth(year: 2024, month: 1), 44_640),
        (.h1, UTCMonth(year: 2024, month: 2), 696),               // leap year
        (.d1, UTCMonth(year: 2023, month: 2), 28),
        (.w1, UTCMonth(year: 2024, month: 1), 5),                 // Mondays: Jan 1, 8, 15, 22, 29
        (.w1, UTCMonth(year: 2024, month: 2), 4),                 // Feb 5, 12, 19, 26
    ])
    func expectedBarsOfAMonthCountAlignedOpenTimes(timeframe: Timeframe, month: UTCMonth, bars: Int) {
        #expect(timeframe.expectedBars(in: month.range) == bars)
    }

    @Test func monthsAreUTCCalendarMonths() {
        let months = UTCMonth.months(overlapping: utc(2023, 12, 31, 23, 59)..<utc(2024, 3, 1))
        #expect(months.map(\.description) == ["2023-12", "2024-01", "2024-02"])
        #expect(UTCMonth(year: 2024, month: 2).range == utc(2024, 2, 1)..<utc(2024, 3, 1))
        #expect(UTCMonth(year: 2024, month: 12).next == UTCMonth(year: 2025, month: 1))
        #expect(UTCMonth("2024-07") == UTCMonth(year: 2024, month: 7))
        #expect(UTCMonth("2024-13") == nil)
        #expect(UTCMonth.months(overlapping: utc(2024, 1, 1)..<utc(2024, 1, 1)).isEmpty)
    }

    @Test func gapsAreMissingOpenTimesBetweenBarsThatExist() {
        let t = [ms(2024, 1, 1, 0, 0), ms(2024, 1, 1, 0, 1), ms(2024, 1, 1, 0, 5), ms(2024, 1, 1, 0, 6), ms(2024, 1, 1, 0, 8)]
        #expect(KlineGap.find(in: t, interval: .m1) == [
            KlineGap(from: ms(2024, 1, 1, 0, 2), to: ms(2024, 1, 1, 0, 5), missingBars: 3),
            KlineGap(from: ms(2024, 1, 1, 0, 7), to: ms(2024, 1, 1, 0, 8), missingBars: 1),
        ])
        #expect(KlineGap.find(in: [], interval: .m1).isEmpty)
        #expect(KlineGap(from: ms(2024, 1, 10), to: ms(2024, 1, 10, 2), missingBars: 120).description == "2024-01-10 00:00 → 2024-01-10 02:00 (120 bars)")
    }

    @Test func rangeArithmetic() {
        #expect(TimeRanges.normalized([5..<7, 0..<2, 2..<3, 6..<9, 4..<4]) == [0..<3, 5..<9])
        #expect(TimeRanges.subtracting(3..<5, from: 0..<10) == [0..<3, 5..<10])
        #expect(TimeRanges.subtracting(0..<5, from: 0..<10) == [5..<10])
        #expect(TimeRanges.subtracting(20..<30, from: 0..<10) == [0..<10])
        #expect(TimeRanges.subtracting(0..<10, from: 2..<3) == [])
    }
}

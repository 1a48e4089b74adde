import Foundation
import Testing
@testable import TradelabCore

/// Small hand-computed cases pinning each definition and its edge rules.
@Suite struct IndicatorBehaviourTests {
    func same(_ a: [Double], _ b: [Double], tolerance: Double = 1e-12) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { ($0.isNaN && $1.isNaN) || ($0 - $1).magnitude <= tolerance * Swift.max(1, $1.magnitude) }
    }

    func bars(_ closes: [Double], highs: [Double]? = nil, lows: [Double]? = nil, volumes: [Double]? = nil,
              times: [Int64]? = nil) -> BarSeries {
        let n = closes.count
        return try! BarSeries(timestamps: times ?? (0..<n).map { Int64($0) * 60_000 }, open: closes,
                              high: highs ?? closes, low: lows ?? closes, close: closes,
                              volume: volumes ?? [Double](repeating: 1, count: n))
    }

    @Test func emaIsSeededWithTheSimpleAverage() {
        #expect(same(EMA.compute([1, 2, 3, 4], period: 2), [.nan, 1.5, 2.5, 3.5]))
        #expect(same(EMA.compute([5, 6], period: 1), [5, 6]))
    }

    @Test func wmaWeighsNewestHeaviest() {
        #expect(same(WMA.compute([1, 2, 3], period: 2), [.nan, 5.0 / 3, 8.0 / 3]))
        #expect(same(WMA.compute([1, 2, 3, 4], period: 3), [.nan, .nan, 14.0 / 6, 20.0 / 6]))
    }

    @Test func hmaOfOneIsTheInputAndLookbackAddsTheRootWindow() {
        #expect(HMA.compute([3, 1, 4], period: 1) == [3, 1, 4])
        #expect(HMA.lookback(period: 9) == 10)
        #expect(HMA.lookback(period: 20) == 22)
        // HMA(2) = 2 * WMA1 - WMA2 = (4 x_i - x_{i-1}) / 3.
        #expect(same(HMA.compute([1, 2, 3], period: 2), [.nan, 7.0 / 3, 10.0 / 3]))
    }

    @Test func rsiOfAFlatSeriesIsZeroAndOfARisingOneIsHundred() {
        let flat = RSI.compute([2, 2, 2, 2], period: 2)
        #expect(flat[2] == 0 && flat[3] == 0)
        let rising = RSI.compute([1, 2, 3, 4, 5], period: 2)
        #expect(rising[2...].allSatisfy { $0 == 100 })
        // Tiny but real moves on a finely quoted series are not zeroed (TA-Lib 0.8.1).
        let fine = RSI.compute([0.0005, 0.000500001, 0.000500002, 0.000500001], period: 2)
        #expect(fine[2] == 100 && fine[3] > 0 && fine[3] < 100)
    }

    @Test func macdSwapsFastAndSlowLikeTALib() {
        let x = (0..<60).map { 100 + sin(Double($0) / 3) }
        let a = MACD.compute(x, fast: 26, slow: 12, signal: 9)
        let b = MACD.compute(x, fast: 12, slow: 26, signal: 9)
        #expect(bitIdentical(a.macd, b.macd) && bitIdentical(a.signal, b.signal))
        #expect(MACD(fast: 12, slow: 26, signal: 9).lookback == 33)
        // Signal 1: the signal is the line and the histogram is 0.
        let one = MACD.compute(x, fast: 3, slow: 5, signal: 1)
        #expect(one.macd[4...] == one.signal[4...] && one.histogram[4...].allSatisfy { $0 == 0 })
    }

    @Test func bollingerWidthIsExactlyZeroOnAFlatWindowAtHighPrices() {
        var x = (0..<200).map { 60_000 + 250 * sin(Double($0)) }
        x += [Double](repeating: 60_000.123, count: 40)
        let b = BollingerBands.compute(x, period: 20, multiplier: 2)
        #expect(b.upper[239] == b.middle[239] && b.lower[239] == b.middle[239])
        #expect(b.upper[100] > b.middle[100])
        // Population standard deviation of [1, 2, 3, 4] is sqrt(1.25).
        let small = BollingerBands.compute([1, 2, 3, 4], period: 4, multiplier: 1)
        #expect(same([small.upper[3]], [2.5 + 1.25.squareRoot()]))
    }

    @Test func atrStartsWithTheAverageTrueRange() {
        let h: [Double] = [10, 12, 13, 12], l: [Double] = [9, 10, 11, 8], c: [Double] = [9.5, 11, 12, 9]
        // TR: -, max(2, |9.5-12|, |9.5-10|) = 2.5, max(2, 2, 0) = 2, max(4, 0, 4) = 4
        #expect(same(ATR.compute(high: h, low: l, close: c, period: 2), [.nan, .nan, 2.25, (2.25 + 4) / 2]))
        #expect(same(ATR.compute(high: h, low: l, close: c, period: 1), [.nan, 2.5, 2, 4]))
    }

    @Test func stochasticOfAZeroRangeIsZero() {
        let flat = [Double](repeating: 7, count: 10)
        let s = Stochastic.compute(high: flat, low: flat, close: flat, fastK: 3, slowK: 2, slowD: 2)
        #expect(s.k[4...].allSatisfy { $0 == 0 } && s.d[4...].allSatisfy { $0 == 0 })
        let k = Stochastic.compute(high: [2, 4, 3], low: [1, 2, 1], close: [1.5, 3, 2], fastK: 3, slowK: 1, slowD: 1).k
        #expect(same(k, [.nan, .nan, (2 - 1) / (4 - 1) * 100]))
    }

    @Test func adxAndCCIOfFlatBarsAreZero() {
        let flat = [Double](repeating: 3, count: 40)
        #expect(ADX.compute(high: flat, low: flat, close: flat, period: 5)[9...].allSatisfy { $0 == 0 })
        #expect(CCI.compute(high: flat, low: flat, close: flat, period: 5)[4...].allSatisfy { $0 == 0 })
    }

    @Test func adxOfAPureUptrendIsHundred() {
        let x = (0..<30).map { Double($0) }
        let adx = ADX.compute(high: x.map { $0 + 1 }, low: x, close: x.map { $0 + 0.5 }, period: 3)
        #expect(adx[5...].allSatisfy { ($0 - 100).magnitude < 1e-12 })
    }

    @Test func rocIsZeroAfterAZeroValue() {
        #expect(same(ROC.compute([0, 1, 2, 0, 3], period: 1), [.nan, 0, 100, -100, 0]))
    }

    @Test func obvStartsAtTheFirstVolume() {
        #expect(OBV.compute(close: [1, 2, 2, 1, 3], volume: [5, 6, 7, 8, 9]) == [5, 11, 11, 3, 12])
    }

    @Test func vwapResetsAtUTCMidnightAndUsesTypicalPriceWithoutVolume() {
        let day: Int64 = 86_400_000
        let t: [Int64] = [day - 120_000, day - 60_000, day, day + 60_000, day + 120_000]
        let c: [Double] = [10, 20, 30, 40, 50]
        let v: [Double] = [1, 3, 0, 2, 2]
        let values = VWAP.compute(high: c, low: c, close: c, volume: v, timestamps: t)
        #expect(same(values, [10, (10 + 60) / 4.0, 30, 40, 45]))
        // Before 1970, days are still cut at midnight.
        let early = VWAP.compute(high: [1, 2], low: [1, 2], close: [1, 2], volume: [1, 1], timestamps: [-60_000, 0])
        #expect(early == [1, 2])
    }

    @Test func donchianTracksTheWindowExtremes() {
        let d = DonchianChannel.compute(high: [5, 7, 6, 4, 3], low: [4, 5, 2, 3, 1], period: 3)
        #expect(same(d.upper, [.nan, .nan, 7, 7, 6]))
        #expect(same(d.lower, [.nan, .nan, 2, 2, 1]))
        #expect(same(d.middle, [.nan, .nan, 4.5, 4.5, 3.5]))
    }

    @Test func keltnerMiddleIsTheEMAFromTheATRLookbackOn() {
        let b = randomBars(count: 60, seed: 9)
        let k = KeltnerChannel.compute(high: b.high, low: b.low, close: b.close, period: 10, multiplier: 2)
        let ema = EMA.compute(b.close, period: 10)
        let atr = ATR.compute(high: b.high, low: b.low, close: b.close, period: 10)
        #expect(k.middle[..<10].allSatisfy { $0.isNaN })
        #expect(Array(k.middle[10...]) == Array(ema[10...]))
        #expect(same(Array(k.upper[10...]), (10..<60).map { ema[$0] + 2 * atr[$0] }))
    }

    @Test func periodLongerThanTheDataGivesOnlyNaN() {
        let b = bars([1, 2, 3, 4, 5])
        for info in IndicatorSpec.catalog where !info.parameters.isEmpty {
            let spec = try! IndicatorSpec(name: info.name, parameters: info.kind == .macd ? [2, 10, 1] : [10])
            let columns = spec.compute(on: b)
            #expect(columns.allSatisfy { $0.count == 5 && $0.allSatisfy { $0.isNaN } }, "\(spec)")
        }
    }

    @Test func emptySeriesGivesEmptyOutputs() throws {
        let empty = bars([])
        for info in IndicatorSpec.catalog {
            let columns = try IndicatorSpec(parsing: info.name).compute(on: empty)
            #expect(columns.allSatisfy { $0.isEmpty })
        }
    }
}

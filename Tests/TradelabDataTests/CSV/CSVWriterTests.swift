import Foundation
import Testing
import TradelabCore
@testable import TradelabData

@Suite struct CSVWriterTests {
    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func writesHeaderIsoTimesShortestNumbersAndEmptyNaN() throws {
        let bars = try BarSeries(
            timestamps: [utc(2024, 1, 2, 3, 4, 5), utc(2024, 1, 2, 3, 5, 5, ms: 250)],
            open: [100, 0.1], high: [100.5, 0.30000000000000004], low: [99, 1e-7], close: [100.25, 0.2], volume: [12, 1234567.125],
            features: [(name: "rsi", values: [55.5, .nan])])
        let csv = text(CSVWriter().encode(bars, extras: [(name: "signal", values: [.nan, -1])]))
        #expect(csv == """
            time,open,high,low,close,volume,rsi,signal
            2024-01-02T03:04:05Z,100,100.5,99,100.25,12,55.5,
            2024-01-02T03:05:05.250Z,0.1,0.30000000000000004,1e-07,0.2,1234567.125,,-1

            """)
        let epoch = text(CSVWriter(timeStyle: .epochMilliseconds).encode(bars))
        #expect(epoch.hasPrefix("time,open,high,low,close,volume,rsi\n1704164645000,100,"))
    }

    @Test func quotesHeaderNamesThatNeedIt() throws {
        let csv = text(CSVWriter().encode(threeBars, extras: [(name: "a,b", values: [1, 2, 3]), (name: "say \"x\"", values: [1, 2, 3])]))
        #expect(csv.hasPrefix("time,open,high,low,close,volume,\"a,b\",\"say \"\"x\"\"\"\n"))
        let loaded = try CSVLoader.parse(text: csv, name: "q.csv")
        #expect(loaded.bars.featureNames == ["a,b", "say \"x\""])
    }

    @Test func emptySeriesWritesOnlyTheHeader() throws {
        let empty = try BarSeries(timestamps: [], open: [], high: [], low: [], close: [], volume: [])
        #expect(text(CSVWriter().encode(empty)) == "time,open,high,low,close,volume\n")
    }

    /// Random bars with awkward numbers: every magnitude, long fractions, NaN features.
    static func randomBars(count: Int, seed: UInt64, millisecondTimes: Bool) throws -> (BarSeries, [(name: String, values: [Double])]) {
        var rng = Xoshiro256StarStar(seed: seed)
        var t = utc(2023, 6, 1)
        var ts: [Int64] = [], o: [Double] = [], h: [Double] = [], l: [Double] = [], c: [Double] = [], v: [Double] = []
        var f1: [Double] = [], f2: [Double] = [], extra: [Double] = []
        func randomValue() -> Double {
            switch rng.next() % 4 {
            case 0: return rng.nextUnitOpen() * 100_000                                   // long fractions
            case 1: return (rng.nextUnitOpen() * 1_000_000).rounded() / 100               // prices with cents
            case 2: return pow(10, Double(Int(rng.next() % 40)) - 20) * rng.nextUnitOpen() // tiny and huge
            default: return Double(rng.next() % 1000)                                     // integers
            }
        }
        for _ in 0..<count {
            t += millisecondTimes ? Int64(1 + rng.next() % 100_000) : 60_000 * Int64(rng.next() % 10 == 0 ? 2 : 1)
            let a = randomValue(), b = randomValue()
            let lo = min(a, b), hi = max(a, b)
            ts.append(t)
            o.append(lo + (hi - lo) * rng.nextUnitOpen())
            c.append(rng.next() % 5 == 0 ? hi : lo + (hi - lo) * rng.nextUnitOpen())
            h.append(hi)
            l.append(lo)
            v.append(rng.next() % 7 == 0 ? 0 : randomValue())
            f1.append(rng.next() % 3 == 0 ? .nan : randomValue() - randomValue())
            f2.append(.nan)
            extra.append(rng.next() % 4 == 0 ? .nan : -randomValue())
        }
        let bars = try BarSeries(timestamps: ts, open: o, high: h, low: l, close: c, volume: v,
                                 features: [(name: "feature_1", values: f1), (name: "all_missing", values: f2)])
        return (bars, [(name: "extra", values: extra)])
    }

    @Test(arguments: [CSVWriter.TimeStyle.iso8601, .epochMilliseconds])
    func randomBarsRoundTripExactlyThroughAFile(style: CSVWriter.TimeStyle) throws {
        let (bars, extras) = try Self.randomBars(count: 20_000, seed: 5, millisecondTimes: true)
        try withTemporaryDirectory { dir in
            let path = dir + "/nested/folder/round trip.csv"
            try CSVWriter(timeStyle: style).write(bars, extras: extras, to: path)
            let loaded = try CSVLoader.load(path: path)
            let expected = try BarSeries(timestamps: bars.timestamps, open: bars.open, high: bars.high, low: bars.low,
                                         close: bars.close, volume: bars.volume,
                                         features: [(name: "feature_1", values: bars.featureColumns[0]),
                                                    (name: "all_missing", values: bars.featureColumns[1]),
                                                    (name: "extra", values: extras[0].values)])
            #expect(loaded.bars == expected)
            #expect(loaded.timeFormat == (style == .iso8601 ? .dateTime : .epoch(.milliseconds)))
            #expect(loaded.skippedColumns.isEmpty)
        }
    }

    @Test func minuteBarsRoundTripAndKeepTheirTimeframe() throws {
        let (bars, _) = try Self.randomBars(count: 5_000, seed: 6, millisecondTimes: false)
        let loaded = try CSVLoader.parse(bytes: CSVWriter().encode(bars), name: "m.csv")
        #expect(loaded.bars == bars)
        #expect(loaded.timeframe == .m1)
    }

    @Test func writeFailureIsADataFileError() throws {
        try withTemporaryDirectory { dir in
            let blocker = dir + "/file"
            try "x".write(toFile: blocker, atomically: true, encoding: .utf8)
            #expect(throws: DataFileError.self) {
                try CSVWriter().write(threeBars, to: blocker + "/inside.csv")
            }
        }
    }
}

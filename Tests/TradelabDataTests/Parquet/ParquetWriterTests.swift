import Foundation
import Testing
import TradelabCore
@testable import TradelabData

/// Random but valid bars (seeded), with a feature holding NaNs.
func randomBars(count: Int, seed: UInt64) throws -> BarSeries {
    var state = seed
    func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53)
    }
    var t: [Int64] = [], o: [Double] = [], h: [Double] = [], l: [Double] = [], c: [Double] = [], v: [Double] = [], f: [Double] = []
    var price = 100.0
    var time: Int64 = 1_700_000_000_000
    for i in 0..<count {
        time += 60_000 * Int64(1 + Int(next() * 3))
        let open = price
        price *= 1 + (next() - 0.5) * 0.01
        t.append(time)
        o.append(open)
        c.append(price)
        h.append(max(open, price) + next())
        l.append(min(open, price) - next())
        v.append(i % 50 == 0 ? 0 : next() * 1000)
        f.append(i % 7 == 0 ? .nan : (next() - 0.5) * 1e-300 * Double(i % 3))
    }
    return try BarSeries(timestamps: t, open: o, high: h, low: l, close: c, volume: v, features: [("rsi", f)])
}

/// Writes `bars` and `extra` as a CSV the Python check reads (round-trip text for doubles).
func writeExpectedCSV(_ bars: BarSeries, extra: [(name: String, values: [Double])], to path: String) throws {
    var text = (["time", "open", "high", "low", "close", "volume"] + bars.featureNames + extra.map(\.name)).joined(separator: ",") + "\n"
    let columns = [bars.open, bars.high, bars.low, bars.close, bars.volume] + bars.featureColumns + extra.map(\.values)
    for i in 0..<bars.count {
        text += "\(bars.timestamps[i])"
        for column in columns { text += ",\(column[i])" }
        text += "\n"
    }
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}

@Suite("Parquet writer")
struct ParquetWriterTests {
    @Test("Written files read back identically through our reader", arguments: ParquetWriter.Compression.allCases)
    func testRoundTripThroughReader(compression: ParquetWriter.Compression) throws {
        let bars = try randomBars(count: 5_003, seed: 11)
        let extra: [(name: String, values: [Double])] = [("all_nan", [Double](repeating: .nan, count: bars.count)),
                                                         ("zeros", (0..<bars.count).map { $0 % 2 == 0 ? 0.0 : -0.0 })]
        let writer = ParquetWriter(compression: compression, rowGroupSize: 997, pageSize: 1_000)
        let bytes = try writer.encode(bars, extraColumns: extra)
        let result = try ParquetLoader.parse(bytes: bytes, name: "rt.parquet")
        #expect(result.summary.rowGroups == 6)
        #expect(result.summary.createdBy == "tradelab version \(TradelabVersion.current)")
        let back = result.loaded.bars
        let expected = try BarSeries(timestamps: bars.timestamps, open: bars.open, high: bars.high, low: bars.low,
                                     close: bars.close, volume: bars.volume,
                                     features: [("rsi", bars.featureColumns[0])] + extra)
        #expect(back == expected)
        // Signed zeros survive bit for bit.
        #expect(back.feature(named: "zeros")?.map(\.sign) == extra[1].values.map(\.sign))
        #expect(result.loaded.timeFormat == .epoch(.milliseconds))

        // Statistics let a time range skip row groups.
        let from = bars.timestamps[2_500], to = bars.timestamps[3_000]
        let ranged = try ParquetLoader.parse(bytes: bytes, name: "rt.parquet", options: ParquetOptions(from: from, to: to))
        #expect(ranged.loaded.bars == expected.between(from: from, to: to))
        #expect(ranged.summary.rowGroupsRead == 2)  // rows 2,500..<3,000 lie in groups 1,994..<2,991 and 2,991..<3,988
    }

    @Test("Writing is atomic and replaces the file; empty series and bad extra columns")
    func testWriteFileAtomicallyAndEdgeCases() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/bars.parquet"
            try "old".write(toFile: path, atomically: true, encoding: .utf8)
            try ParquetWriter().write(threeBars, to: path)
            #expect(try ParquetLoader.load(path: path).bars == threeBars)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["bars.parquet"])

            let empty = try BarSeries(timestamps: [], open: [], high: [], low: [], close: [], volume: [])
            try ParquetWriter().write(empty, to: dir + "/empty.parquet")
            #expect(try ParquetLoader.load(path: dir + "/empty.parquet").bars.isEmpty)
        }
        let short = #expect(throws: DataFileError.self) {
            try ParquetWriter().encode(threeBars, extraColumns: [("x", [1])])
        }
        #expect(short?.description == "bars.parquet: column 'x': has 1 values for 3 bars")
        let taken = #expect(throws: DataFileError.self) {
            try ParquetWriter().encode(threeBars, extraColumns: [("close", [1, 2, 3])])
        }
        #expect(taken?.reason.contains("already taken") == true)
    }

    @Test("pyarrow, polars and DuckDB read our files with identical values and UTC timestamps",
          arguments: ParquetWriter.Compression.allCases)
    func testReferenceReadersReadOurFiles(compression: ParquetWriter.Compression) throws {
        let bars = try randomBars(count: 3_001, seed: 5)
        let extra: [(name: String, values: [Double])] = [("funding", (0..<bars.count).map { $0 % 11 == 0 ? .nan : Double($0) / 7 })]
        try withTemporaryDirectory { dir in
            let file = dir + "/bars_\(compression).parquet", csv = dir + "/bars.csv"
            try ParquetWriter(compression: compression, rowGroupSize: 1_000, pageSize: 4_096).write(bars, extraColumns: extra, to: file)
            try writeExpectedCSV(bars, extra: extra, to: csv)
            let script = repositoryRoot.appendingPathComponent("scripts/gen_parquet_fixtures.py").path
            let (status, output) = try runPython([script, "--check", file, csv])
            #expect(status == 0, "\(output)")
            #expect(output.contains("ok pyarrow") && output.contains("ok polars") && output.contains("ok duckdb"), "\(output)")
        }
    }
}

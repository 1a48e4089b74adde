import Foundation
import Testing
import TradelabCore
@testable import TradelabData

@Suite("Parquet reader")
struct ParquetReaderTests {
    @Test("Every fixture from pyarrow, pandas, polars, DuckDB and fastparquet reads value for value")
    func testEveryWriterFixtureReadsValueForValue() throws {
        let fixtures = try ParquetFixtures.get()
        let readable = fixtures.entries.filter { $0.expect == "ok" }
        #expect(readable.count >= 20)
        for entry in readable {
            let result: ParquetLoadResult
            do {
                result = try ParquetLoader.read(path: fixtures.path(entry.file))
            } catch {
                Issue.record("\(entry.file) (\(entry.writer)): \(error)")
                continue
            }
            let bars = result.loaded.bars
            let want = fixtures.expected[entry.expected ?? "expected.csv"]!
            let sameTimes = bars.timestamps == want.time
            #expect(sameTimes, "\(entry.file): timestamps differ")
            let got = [bars.open, bars.high, bars.low, bars.close, bars.volume]
            for (k, name) in ["open", "high", "low", "close", "volume"].enumerated() {
                let diff = firstDifference(got[k], want.columns[k][...])
                #expect(diff == nil, "\(entry.file): column \(name) differs at row \(diff ?? 0)")
            }
            #expect(bars.featureNames == (entry.features ?? []), "\(entry.file): features \(bars.featureNames)")
            if let signal = bars.feature(named: "signal") {
                let diff = firstDifference(signal, want.columns[5][...])
                #expect(diff == nil, "\(entry.file): signal differs at row \(diff ?? 0)")
            }
            #expect(result.loaded.skippedColumns == (entry.skipped ?? []), "\(entry.file): skipped \(result.loaded.skippedColumns)")
            #expect(result.loaded.timeColumn == entry.timeColumn, "\(entry.file): time column \(result.loaded.timeColumn)")
            if let groups = entry.rowGroups {
                #expect(result.summary.rowGroups == groups, "\(entry.file): \(result.summary.rowGroups) row groups")
            }
            #expect(result.loaded.timeframe == (entry.expected == "expected_daily.csv" ? .d1 : .m1), "\(entry.file)")
        }
    }

    @Test("Unsupported features and bad data fail with a clear error naming the column")
    func testUnsupportedSamplesFailWithClearErrors() throws {
        let fixtures = try ParquetFixtures.get()
        let failing = fixtures.entries.filter { $0.expect == "error" }
        #expect(failing.count >= 6)
        for entry in failing {
            expectClearError(entry, in: fixtures) { (path) throws(DataFileError) in _ = try ParquetLoader.load(path: path) }
        }
    }

    @Test("A nested column left out by the feature projection does not stop the read")
    func testProjectionLeavesOutNestedColumn() throws {
        let fixtures = try ParquetFixtures.get()
        let result = try ParquetLoader.read(path: fixtures.path("unsupported_nested.parquet"), options: ParquetOptions(features: ["signal"]))
        #expect(result.loaded.bars.featureNames == ["signal"])
        #expect(result.loaded.skippedColumns == ["symbol", "tags"])
        #expect(!result.summary.columnsRead.contains("tags"))
    }

    @Test("An empty feature projection decodes only time and OHLCV")
    func testEmptyProjectionDecodesOnlyBarColumns() throws {
        let fixtures = try ParquetFixtures.get()
        let result = try ParquetLoader.read(path: fixtures.path("pyarrow_default.parquet"), options: ParquetOptions(features: []))
        #expect(result.summary.columnsRead == ["time", "open", "high", "low", "close", "volume"])
        #expect(result.loaded.bars.featureNames.isEmpty)
        #expect(result.loaded.skippedColumns == ["signal", "symbol"])
        let wrong = #expect(throws: DataFileError.self) {
            try ParquetLoader.load(path: fixtures.path("pyarrow_default.parquet"), options: ParquetOptions(features: ["symbol"]))
        }
        #expect(wrong?.description.contains("'symbol'") == true)
    }

    @Test("A time range skips row groups by their statistics and keeps [from, to)", arguments: [
        "pyarrow_rowgroups.parquet", "fastparquet_snappy.parquet", "duckdb_zstd_rowgroups.parquet",
    ])
    func testTimeRangeSkipsRowGroups(file: String) throws {
        let fixtures = try ParquetFixtures.get()
        let want = fixtures.expected["expected.csv"]!
        let from = want.time[25_000] + 1, to = want.time[45_000]
        let result = try ParquetLoader.read(path: fixtures.path(file), options: ParquetOptions(from: from, to: to))
        let bars = result.loaded.bars
        let sameTimes = bars.timestamps == Array(want.time[25_001..<45_000])
        #expect(sameTimes, "\(file): \(bars.count) bars from \(bars.timestamps.first ?? 0)")
        #expect(firstDifference(bars.close, want.columns[3][25_001..<45_000]) == nil)
        #expect(result.summary.rowGroupsRead < result.summary.rowGroups)
        #expect(result.summary.rowsDecoded < 60_000)
        if file == "pyarrow_rowgroups.parquet" {
            // Groups of 10,000 rows: rows 25,001..<45,000 lie in groups 2, 3 and 4.
            #expect(result.summary.rowGroupsRead == 3)
            #expect(result.summary.rowsDecoded == 30_000)
        }
    }

    @Test("A null in close names the column and the row")
    func testNullInCloseNamesColumnAndRow() throws {
        let fixtures = try ParquetFixtures.get()
        let error = #expect(throws: DataFileError.self) { try ParquetLoader.load(path: fixtures.path("null_close.parquet")) }
        #expect(error?.description == "null_close.parquet: column 'close': null in row 123; time, open, high, low and close need a value in every row")
    }
}

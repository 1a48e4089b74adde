import Foundation
import Testing
import TradelabCore
@testable import TradelabData

@Suite("Parquet table reader")
struct ParquetTableReaderTests {
    @Test("Tables written by pyarrow and polars read value for value")
    func testFixturesReadValueForValue() throws {
        let fixtures = try ParquetFixtures.get()
        let readable = fixtures.tables.files.filter { $0.expect == "ok" }
        #expect(readable.count >= 7)
        for entry in readable {
            let want = try fixtures.tables.table(entry.expected ?? "base")
            do {
                let got = try ParquetTableReader.read(path: fixtures.path(entry.file))
                let difference = tableDifference(got, want)
                #expect(difference == nil, "\(entry.file) (\(entry.writer)): \(difference ?? "")")
            } catch {
                Issue.record("\(entry.file) (\(entry.writer)): \(error)")
            }
        }
    }

    @Test("Columns a table cannot hold, nulls outside doubles and unsupported encodings fail naming the column")
    func testRefusedFixturesFailClearly() throws {
        let fixtures = try ParquetFixtures.get()
        let failing = fixtures.tables.files.filter { $0.expect == "error" }
        #expect(failing.count >= 7)
        for entry in failing {
            expectClearError(entry, in: fixtures) { (path) throws(DataFileError) in _ = try ParquetTableReader.read(path: path) }
        }
    }

    @Test("The bar fixtures read as tables too, unless they hold a type a table cannot")
    func testBarFixturesAsTables() throws {
        let fixtures = try ParquetFixtures.get()
        let table = try ParquetTableReader.read(path: fixtures.path("pyarrow_rowgroups.parquet"))
        let want = fixtures.expected["expected.csv"]!
        #expect(table.names == ["time", "open", "high", "low", "close", "volume", "signal", "symbol"])
        #expect(table["time"] == .timestampMillis(want.time))
        #expect(table["close"] == .double(want.columns[3]) && table["signal"] == .double(want.columns[5]))
        let error = #expect(throws: DataFileError.self) { try ParquetTableReader.read(path: fixtures.path("pyarrow_date.parquet")) }
        #expect(error?.description.contains("column 'date': unsupported: INT32 DATE columns") == true, "\(error?.description ?? "")")
    }
}

import Foundation
import Testing
import TradelabCore
@testable import TradelabData

@Suite struct DataCatalogTests {
    @Test(arguments: [
        ("BTCUSDT_1m.csv", "BTCUSDT", Timeframe?.some(.m1)),
        ("BTCUSDT-1m-2024-01.csv", "BTCUSDT", .m1),
        ("BTCUSDT/1h/2024-01.parquet", "BTCUSDT", .h1),
        ("eurusd_4h.parquet", "EURUSD", .h4),
        ("GOOG.csv", "GOOG", nil),
        ("stocks/AAPL_1d.csv", "AAPL", .d1),
    ])
    func symbolAndTimeframeComeFromTheName(path: String, symbol: String, timeframe: Timeframe?) {
        let parts = DataCatalog.nameParts(path)
        #expect(parts.symbol == symbol)
        #expect(parts.timeframe == timeframe)
    }

    func makeDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/BTCUSDT/1m", withIntermediateDirectories: true)
        let btc = SampleData.symbol(named: "BTCUSDT")!
        let start = SampleData.defaultStart
        // Two monthly-style partitions that overlap by one hour.
        try CSVWriter().write(SampleData.generate(symbol: btc, from: start, to: start + 2 * 86_400_000), to: dir + "/BTCUSDT/1m/part1.csv")
        try CSVWriter().write(SampleData.generate(symbol: btc, from: start + 47 * 3_600_000, to: start + 4 * 86_400_000),
                              to: dir + "/BTCUSDT/1m/part2.csv")
        try "not,a,csv\n1,2\n".write(toFile: dir + "/broken.csv", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func scanIndexesFilesReportsProblemsAndCaches() throws {
        let dir = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try DataCatalog(directory: dir)
        #expect(catalog.entries.map(\.path) == ["BTCUSDT/1m/part1.csv", "BTCUSDT/1m/part2.csv"])
        #expect(catalog.entries.allSatisfy { $0.symbol == "BTCUSDT" && $0.timeframe == "1m" })
        #expect(catalog.problems.map(\.path) == ["broken.csv"])
        #expect(FileManager.default.fileExists(atPath: dir + "/" + DataCatalog.indexFile))
        // A changed file is re-read; an unchanged one comes from the cache.
        try CSVWriter().write(SampleData.generate(symbol: SampleData.symbol(named: "BTCUSDT")!, days: 1), to: dir + "/BTCUSDT/1m/part2.csv")
        let again = try DataCatalog(directory: dir)
        #expect(again.entries[1].rows == 1_440)
        #expect(again.entries[0] == catalog.entries[0])
    }

    @Test func aKeptCatalogIsRefreshedWithoutRewritingAnUnchangedIndex() throws {
        let dir = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let index = dir + "/" + DataCatalog.indexFile
        let first = try DataCatalog(directory: dir)
        try FileManager.default.removeItem(atPath: index)
        // Nothing changed: the kept entries are reused and no index is written.
        let same = try DataCatalog(directory: dir, previous: first)
        #expect(same.entries == first.entries)
        #expect(!FileManager.default.fileExists(atPath: index))
        // A removed file leaves the catalog, and the index is written again.
        try FileManager.default.removeItem(atPath: dir + "/BTCUSDT/1m/part2.csv")
        let fewer = try DataCatalog(directory: dir, previous: same)
        #expect(fewer.entries.map(\.path) == ["BTCUSDT/1m/part1.csv"])
        #expect(FileManager.default.fileExists(atPath: index))
        #expect(try DataCatalog(directory: dir).entries == fewer.entries)
    }

    @Test func aRangeOutsideTheDataNamesTheRealRangeAndNotTheServersPath() throws {
        let dir = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try DataCatalog(directory: dir)
        let error = #expect(throws: DataFileError.self) {
            try catalog.load(symbol: "BTCUSDT", timeframe: .m15, from: 0, to: 86_400_000)
        }
        let text = error?.description ?? ""
        #expect(text.contains("its data runs from \(UTCTime.format(SampleData.defaultStart))"), "\(text)")
        #expect(!text.contains(dir), "\(text)")
    }

    @Test func loadConcatenatesPartitionsWithoutDuplicatesAndResamples() throws {
        let dir = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try DataCatalog(directory: dir)
        let minutes = try catalog.load(symbol: "btcusdt", timeframe: .m1, from: nil, to: nil)
        #expect(minutes.count == 4 * 1_440)
        let hours = try catalog.load(symbol: "BTCUSDT", timeframe: .h1, from: SampleData.defaultStart + 86_400_000, to: nil)
        #expect(hours.count == 72)
        #expect(hours == minutes.resampled(to: .h1).between(from: SampleData.defaultStart + 86_400_000))
    }

    @Test func datasetsOfDifferentSourcesAreNeverMixed() throws {
        let dir = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CSVWriter().write(SampleData.generate(symbol: SampleData.symbol(named: "BTCUSDT")!, days: 1, seed: 9), to: dir + "/BTCUSDT_1m.csv")
        let catalog = try DataCatalog(directory: dir)
        #expect(Set(catalog.entries.map(\.source)) == [".", "BTCUSDT"])
        #expect { try catalog.load(symbol: "BTCUSDT", timeframe: .m1, from: nil, to: nil) } throws: { "\($0)".contains("--source") }
        #expect(try catalog.load(symbol: "BTCUSDT", timeframe: .m1, from: nil, to: nil, source: ".").count == 1_440)
        #expect(try catalog.load(symbol: "BTCUSDT", timeframe: .m1, from: nil, to: nil, source: "BTCUSDT").count == 4 * 1_440)
    }

    @Test func missingSymbolOrTimeframeSaysWhatExists() throws {
        let dir = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try DataCatalog(directory: dir)
        #expect { try catalog.load(symbol: "ETHUSDT", timeframe: .h1, from: nil, to: nil) } throws: { "\($0)".contains("BTCUSDT") }
        #expect(throws: DataFileError.self) { try DataCatalog(directory: dir + "/nope") }
    }
}

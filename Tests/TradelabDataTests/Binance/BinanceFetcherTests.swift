import Foundation
import Testing
import TradelabCore
@testable import TradelabData

@Suite struct BinanceFetcherTests {
    let now = ms(2024, 6, 15, 10, 30)

    func fetcher(_ dir: String, _ exchange: StubExchange, clock: ManualClock? = nil,
                 configure: (inout BinanceClientOptions) -> Void = { _ in }) throws -> BinanceFetcher {
        var options = BinanceClientOptions()
        configure(&options)
        return try BinanceFetcher(dataDirectory: dir, baseURL: URL(string: "http://stub.test")!, transport: exchange,
                                  options: options, clock: clock ?? ManualClock(now))
    }

    /// Every cached kline of the months overlapping `range`, through the cache's own reader.
    func cached(_ dir: String, _ interval: Timeframe, _ range: Range<Int64>) -> [BinanceKline] {
        let cache = BinanceCache(dataDirectory: dir)
        return UTCMonth.months(overlapping: range).flatMap { cache.partition(symbol: "BTCUSDT", interval: interval, month: $0).partition?.klines ?? [] }
    }

    @Test func aMultiMonthFetchWritesOnePartitionAndSidecarPerMonth() async throws {
        try await withTemporaryDirectoryAsync { dir in
            let exchange = StubExchange()
            let range = ms(2024, 1, 1)..<ms(2024, 3, 1)
            let report = try await fetcher(dir, exchange).fetch(symbol: "btcusdt", interval: .h1, from: range.lowerBound, to: range.upperBound)
            #expect(report.bars == 1_440 && report.barsFetched == 1_440 && report.barsFromCache == 0)
            #expect(report.monthsFetched == ["2024-01", "2024-02"] && report.requests == 2)
            #expect(report.files == ["binance/BTCUSDT/1h/2024-01.\(BinanceCache.partitionExtension)", "binance/BTCUSDT/1h/2024-02.\(BinanceCache.partitionExtension)"])
            #expect(cached(dir, .h1, range) == exchange.expected(.h1, range))
            let sidecar = try JSONDecoder().decode(PartitionCoverage.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/binance/BTCUSDT/1h/2024-02.coverage.json")))
            #expect(sidecar.complete && sidecar.bars == 696 && sidecar.expectedBars == 696 && sidecar.file == "2024-02.\(BinanceCache.partitionExtension)")
            // The catalog reads the partitions as BTCUSDT 1h, and loads the range across them.
            let catalog = try DataCatalog(directory: dir)
            #expect(catalog.entries.map { "\($0.symbol) \($0.timeframe ?? "?") \($0.rows)" } == ["BTCUSDT 1h 744", "BTCUSDT 1h 696"])
            #expect(try catalog.load(symbol: "BTCUSDT", timeframe: .h4, from: nil, to: nil).count == 360)
        }
    }

    @Test func aSecondFetchOfTheSameRangeSendsNoRequest() async throws {
        try await withTemporaryDirectoryAsync { dir in
            let exchange = StubExchange()
            _ = try await fetcher(dir, exchange).fetch(symbol: "BTCUSDT", interval: .m15, from: ms(2024, 1, 1), to: ms(2024, 3, 1))
            let count = exchange.requests.count
            let again = try await fetcher(dir, exchange).fetch(symbol: "BTCUSDT", interval: .m15, from: ms(2024, 1, 1), to: ms(2024, 3, 1))
            #expect(exchange.requests.count == count)
            #expect(again.requests == 0 && again.barsFromCache == again.bars && again.monthsFromCache == ["2024-01", "2024-02"])
        }
    }

    @Test func extendingTheRangeFetchesOnlyTheMissingPart() async throws {
        try await withTemporaryDirectoryAsync { dir in
            let exchange = StubExchange()
            _ = try await fetcher(dir, exchange).fetch(symbol: "BTCUSDT", interval: .h1, from: ms(2024, 1, 1), to: ms(2024, 2, 10))
            let before = exchange.requests.count
            let report = try await fetcher(dir, exchange).fetch(symbol: "BTCUSDT", interval: .h1, from: ms(2023, 12, 1), to: ms(2024, 4, 1))
            #expect(Set(exchange.startTimes.dropFirst(before)) == [ms(2023, 12, 1), ms(2024, 2, 10), ms(2024, 3, 1)])
            #expect(report.monthsFromCache == ["2024-01"] && report.monthsFetched == ["2023-12", "2024-02", "2024-03"])
            #expect(report.barsFetched == (31 + 20 + 31) * 24)
            #expect(cached(dir, .h1, ms(2023, 12, 1)..<ms(2024, 4, 1)) == exchange.expected(.h1, ms(2023, 12, 1)..<ms(2024, 4, 1)))
        }
    }

    @Test func gapsAreReportedAndNotFilled() async throws {
        try await withTemporaryDirectoryAsync { dir in
            let exchange = StubExchange()
            exchange.gaps = [ms(2024, 1, 10)..<ms(2024, 1, 10, 2), ms(2024, 1, 31, 23)..<ms(2024, 2, 1, 1)]   // one across months
            let report = try await fetcher(dir, exchange).fetch(symbol: "BTCUSDT", interval: .m15, from: ms(2024, 1, 1), to: ms(2024, 3, 1))
            #expect(report.gaps == [KlineGap(from: ms(2024, 1, 10), to: ms(2024, 1, 10, 2), missingBars: 8),
                                    KlineGap(from: ms(2024, 1, 31, 23), to: ms(2024, 2, 1, 1), missingBars: 8)])
            #expect(report.bars == 60 * 96 - 16)
            let jan = BinanceCache(dataDirectory: dir).partition(symbol: "BTCUSDT", interval: .m15, month: UTCMonth(year: 2024, month: 1)).partition
            #expect(jan?.coverage.complete == true && jan?.coverage.bars == 31 * 96 - 12)
            // The month is complete despite the gap: a second fetch asks nothing.
            let count = exchange.requests.count
            _ = try await fetcher(dir, exchange).fetch(symbol: "BTCUSDT", interval: .m15, from: ms(2024, 1, 1), to: ms(2024, 3, 1))
            #expect(exchange.requests.count == count)
        }
    }

    @Test func aFailureMidMonthKeepsWhatArrivedAndTheRerunResumesThere() async throws {
        try await withTemporaryDirectoryAsync { dir in
            let exchange = StubExchange()
            exchange.failFrom = 5                                    // pages 1-4 arrive, then every request fails
            let range = ms(2024, 1, 1)..<ms(2024, 2, 1)
            await #expect(throws: BinanceError.self) {
                try await fetcher(dir, exchange) { $0.maxAttempts = 2 }.fetch(symbol: "BTCUSDT", interval: .m5, from: range.lowerBound, to: range.upperBound)
            }
            let partial = try #require(BinanceCache(dataDirectory: dir).partition(symbol: "BTCUSDT", interval: .m5, month: UTCMonth(year: 2024, month: 1)).partition)
            #expect(partial.klines.count == 4_000 && !partial.coverage.complete)
            #expect(partial.coverage.covered == range.lowerBound..<(range.lowerBound + 4_000 * 300_000))
            exchange.failFrom = nil
            let before = exchange.requests.count
            let report = try await fetcher(dir, exchange).fetch(symbol: "BTCUSDT", interval: .m5, from: range.lowerBound, to: range.upperBound)
            #expect(exchange.startTimes.dropFirst(before).first == range.lowerBound + 4_000 * 300_000)
            #expect(report.barsFetched == 8_928 - 4_000 && report.barsFromCache == 4_000)
            #expect(cached(dir, .m5, range) == exchange.expected(.m5, range))
        }
    }

    @Test func aCancelledFetchKeepsThePagesThatArrived() async throws {
        try await withTemporaryDirectoryAsync { dir in
            let exchange = StubExchange()
            exchange.cancelAt = 3                                    // Ctrl-C during the third page
            let fetcher = try fetcher(dir, exchange)
            let task = Task { try await fetcher.fetch(symbol: "BTCUSDT", interval: .m5, from: ms(2024, 1, 1), to: ms(2024, 2, 1)) }
            await #expect(throws: BinanceError.cancelled) { try await task.value }
            let partial = BinanceCache(dataDirectory: dir).partition(symbol: "BTCUSDT", interval: .m5, month: UTCMonth(year: 2024, month: 1)).partition
            #expect(partial?.klines.count == 2_000 && partial?.coverage.complete == false)
            #expect(exchange.requests.count == 3)                    // no retry after a cancellation
        }
    }

    @Test func theOpenMonthIsFetchedAgainAndItsFormingBarNeverStored() async throws {
        try await withTemporaryDirectoryAsync { dir in
            let exchange = StubExchange()
            let clock = ManualClock(ms(2024, 6, 15, 10, 30))
            let first = try await fetcher(dir, exchange, clock: clock).fetch(symbol: "BTCUSDT", interval: .h1, from: ms(2024, 5, 1), to: ms(2024, 7, 1))
            #expect(first.coveredTo == ms(2024, 6, 15, 10))
            #expect(first.bars == 31 * 24 + 14 * 24 + 10)
            #expect(first.notes.contains { $0.contains("last closed 1h bar") })
            let june = BinanceCache(dataDirectory: dir).partition(symbol: "BTCUSDT", interval: .h1, month: UTCMonth(year: 2024, month: 6)).partition
            #expect(june?.coverage.complete == false && june?.klines.last?.openTime == ms(2024, 6, 15, 9))
            let before = exchange.requests.count
            let later = ManualClock(ms(2024, 6, 20))
            let second = try await fetcher(dir, exchange, clock: later).fetch(symbol: "BTCUSDT", interval: .h1, from: ms(2024, 5, 1), to: ms(2024, 7, 1))
            #expect(exchange.startTimes.dropFirst(before) == [ms(2024, 6, 1)])  // May is complete; June asked again
            #expect(second.monthsFromCache == ["2024-05"] && second.bars == 31 * 24 + 19 * 24)
        }
    }

    @Test func aListingMidMonthCompletesTheMonthWithFewerBarsAndSaysSo() async throws {
        try await withTemporaryDirectoryAsync { dir in
            let exchange = StubExchange()
            exchange.listing = ms(2024, 1, 15, 6)
            let report = try await fetcher(dir, exchange).fetch(symbol: "BTCUSDT", interval: .h1, from: ms(2023, 11, 1), to: ms(2024, 2, 1))
            #expect(report.bars == 17 * 24 - 6 && report.gaps.isEmpty)
            #expect(report.notes.contains("no bars before 2024-01-15T06:00:00Z (the listing, or an outage)"))
            #expect(report.files == ["binance/BTCUSDT/1h/2024-01.\(BinanceCache.partitionExtension)"])   // empty months: a sidecar, no file
            let count = exchange.requests.count
            _ = try await fetcher(dir, exchange).fetch(symbol: "BTCUSDT", interval: .h1, from: ms(2023, 11, 1), to: ms(2024, 2, 1))
            #expect(exchange.requests.count == count)
        }
    }

    @Test func aPartitionThatDisagreesWithItsSidecarIsFetchedAgain() async throws {
        try await withTemporaryDirectoryAsync { dir in
            let exchange = StubExchange()
            _ = try await fetcher(dir, exchange).fetch(symbol: "BTCUSDT", interval: .h1, from: ms(2024, 1, 1), to: ms(2024, 2, 1))
            // Simulate a crash between writing a partition and its sidecar: one bar fewer in the file.
            let path = dir + "/binance/BTCUSDT/1h/2024-01.\(BinanceCache.partitionExtension)"
            let bars = try MarketDataFile.load(path: path).bars
            try MarketDataFile.write(bars.slice(0..<(bars.count - 1)), to: path)
            let report = try await fetcher(dir, exchange).fetch(symbol: "BTCUSDT", interval: .h1, from: ms(2024, 1, 1), to: ms(2024, 2, 1))
            #expect(report.monthsFetched == ["2024-01"] && report.notes.first?.contains("fetched again") == true)
            #expect(cached(dir, .h1, ms(2024, 1, 1)..<ms(2024, 2, 1)) == exchange.expected(.h1, ms(2024, 1, 1)..<ms(2024, 2, 1)))
        }
    }

    @Test func leftoverTemporaryFilesAreRemovedAndNeverSeenByTheCatalog() async throws {
        try await withTemporaryDirectoryAsync { dir in
            let folder = dir + "/binance/BTCUSDT/1h"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try "time,open\n".write(toFile: folder + "/.2024-01.999.tmp.csv", atomically: false, encoding: .utf8)
            _ = try await fetcher(dir, StubExchange()).fetch(symbol: "BTCUSDT", interval: .h1, from: ms(2024, 1, 1), to: ms(2024, 2, 1))
            let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
            #expect(names == ["2024-01.coverage.json", "2024-01.\(BinanceCache.partitionExtension)"])
        }
    }

    @Test func aSecondFetchOfTheSameSymbolWhileOneRunsIsRefused() throws {
        try withTemporaryDirectory { dir in
            let cache = BinanceCache(dataDirectory: dir)
            let held = try FetchLock(path: cache.lockPath(symbol: "BTCUSDT", interval: .m1), what: "BTCUSDT 1m")
            defer { held.release() }
            #expect(throws: BinanceError.self) {
                let second = try FetchLock(path: cache.lockPath(symbol: "BTCUSDT", interval: .m1), what: "BTCUSDT 1m")
                second.release()
            }
        }
    }

    @Test func anEmptyOrBackwardRangeIsRejected() async throws {
        try await withTemporaryDirectoryAsync { dir in
            await #expect(throws: BinanceError.self) {
                try await fetcher(dir, StubExchange()).fetch(symbol: "BTCUSDT", interval: .h1, from: ms(2024, 2, 1), to: ms(2024, 1, 1))
            }
        }
    }
}

/// `withTemporaryDirectory` for async bodies.
func withTemporaryDirectoryAsync(_ body: (String) async throws -> Void) async throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tradelab-binance-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    try await body(url.path)
}

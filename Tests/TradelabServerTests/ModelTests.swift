import Foundation
import Testing
import TradelabCore
import TradelabRun
@testable import TradelabServer

@Suite("Server models")
struct ModelTests {
    @Test(arguments: [("127.0.0.1", true), ("127.1.2.3", true), ("::1", true), ("127.example.com", false), ("0.0.0.0", false),
                      ("128.0.0.1", false), ("127.0.0.256", false), ("127.0.0", false)])
    func loopbackAddressesAreLiterals(host: String, loopback: Bool) {
        #expect(ServerConfiguration.isLoopbackAddress(host) == loopback)
    }

    @Test func mergedCandlesAggregateTheirBars() throws {
        let count = 103
        let bars = try BarSeries(
            timestamps: (0..<count).map { Int64($0) * 60_000 }, open: (0..<count).map { Double($0) + 1 },
            high: (0..<count).map { Double($0) + 3 }, low: (0..<count).map { Double($0) }, close: (0..<count).map { Double($0) + 2 },
            volume: Array(repeating: 1, count: count))
        let candles = Candles(bars, symbol: "X", timeframe: "1m", maxPoints: 10)
        #expect(candles.count == 10 && candles.downsampled && candles.sourceCount == count)
        #expect(candles.open[0] == 1 && candles.high[0] == 13 && candles.low[0] == 0 && candles.close[0] == 12 && candles.volume[0] == 11)
        #expect(candles.close.last == 104 && candles.volume.reduce(0, +) == Double(count))
        #expect(Candles(bars, symbol: "X", timeframe: "1m", maxPoints: nil).count == count)
    }

    @Test func theCacheEvictsTheLeastRecentlyUsed() throws {
        func results(_ id: String, padding: Int = 0) throws -> StoredResults {
            try StoredResults(view: RunResults(id: id, status: .completed, strategy: String(repeating: "s", count: padding), parameters: [:],
                                               data: DataInfo(source: "x", symbol: "X", timeframe: nil, bars: try BarSeries(timestamps: [], open: [], high: [], low: [], close: [], volume: [])),
                                               account: AccountConfig(), metrics: nil, randomized: nil, closedTrades: 0, openTrades: 0,
                                               rejectedOrders: 0, timings: RunTimings(), equity: nil, trades: [], tradesTotal: 0, runs: [],
                                               baseline: nil),
                              directory: "/nonexistent")
        }
        let one = try results("a").bytes
        let cache = ResultCache(maxEntries: 2, maxBytes: 1 << 30)
        cache.put("a", try results("a"))
        cache.put("b", try results("b"))
        _ = cache.get("a")
        cache.put("c", try results("c"))
        let a = try cache.get("a")?.view().id, c = try cache.get("c")?.view().id
        #expect(cache.get("b") == nil && a == "a" && c == "c")
        let small = ResultCache(maxEntries: 10, maxBytes: 2 * one + 50)
        for id in ["1", "2", "3"] { small.put(id, try results(id)) }
        #expect(small.usage.entries == 2 && small.usage.bytes == 2 * one && small.get("1") == nil)
        let view = ResultCache.ViewKey(maxPoints: 5, tradesLimit: 1)
        small.storeBody("3", view: view, Data(count: 40))
        #expect(small.body("3", view: view)?.count == 40 && small.usage.bytes == 2 * one + 40)
        small.storeBody("2", view: view, Data(count: 40))           // would exceed the bound: not kept
        #expect(small.body("2", view: view) == nil)
        small.put("4", try results("4", padding: 4 * one))           // larger than the bound: not cached
        #expect(small.get("4") == nil)
    }

    @Test(arguments: ["a", "examples/sma_cross", "My Strategy-2.v1", "a/b/c/d", "x.lua"])
    func plainNamesAreAccepted(name: String) throws {
        #expect(try StrategyName(name).value == (name.hasSuffix(".lua") ? String(name.dropLast(4)) : name))
    }

    @Test(arguments: ["", "/abs", "../x", "a/../b", "a/./b", ".git/config", "a\\b", "a\u{0}b", "a/b/c/d/e", "é", "a//b", "%2e%2e"])
    func unsafeNamesAreRefused(name: String) {
        #expect(throws: APIError.self) { try StrategyName(name) }
    }

    @Test func unknownFieldsAreFoundAtEveryDepth() {
        let json: [String: Any] = ["name": 1, "extra": 2, "account": ["commission": 1, "comission": 2], "params": ["anything": 3]]
        #expect(BacktestRequest.fields.unknownFields(in: json) == ["account.comission", "extra"])
    }
}

@Suite("Worker output")
struct WorkerOutputTests {
    @Test func theSupervisorPicksRunningStatesOutOfEventLines() throws {
        var state = LiveState(currentCandleIndex: 1234, currentTime: "2024-01-02T03:04:05.678Z", status: "running", totalCandles: 99_999,
                              recentSignals: [], metrics: .init(equityCurve: [.init(time: 60, value: 1)]))
        let running = try WorkerEvent.state(state).jsonLine().dropLast()
        let line = try #require(StateLine(Array(running)))
        #expect(line.index == 1234 && line.time == "2024-01-02T03:04:05.678Z")
        #expect(try JSONCoding.decode(LiveState.self, from: Data(line.json)) == state)
        state.status = "completed"
        #expect(StateLine(Array(try WorkerEvent.state(state).jsonLine().dropLast())) == nil)
        #expect(StateLine(Array(try WorkerEvent.paused(state).jsonLine().dropLast())) == nil)
        #expect(StateLine(Array(#"{"type":"state","state":{"status":"running"}"#.utf8)) == nil)   // cut short
        // Key order and spacing do not matter: it is a structural scan, not a byte pattern.
        let reordered = #"{ "state" : {"status":"running","currentTime":"T","currentCandleIndex":7}, "type":"state" }"#
        let parsed = try #require(StateLine(Array(reordered.utf8)))
        #expect(parsed.index == 7 && parsed.time == "T")
    }
}

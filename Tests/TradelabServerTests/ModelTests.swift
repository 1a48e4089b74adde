import Foundation
import Testing
import TradelabCore
@testable import TradelabServer

@Suite("Server models")
struct ModelTests {
    @Test(arguments: [3, 10, 57, 1000])
    func downsampledCurvesKeepTheEndsAndTheDeepestDrawdown(points: Int) {
        let n = 5000
        let equity: [Double] = (0..<n).map { k in
            let wave: Double = 10 * sin(Double(k) / 37)
            return 100 + wave - (k == 2345 ? 40 : 0)
        }
        var peak = -Double.infinity
        let drawdown = equity.map { v -> Double in peak = max(peak, v); return v / peak - 1 }
        let curve = Curve(time: (0..<n).map { Int64($0) * 60 }, equity: equity, drawdown: drawdown)
        let thin = curve.downsampled(to: points)
        #expect(thin.count <= max(points, 2) + 1)
        #expect(thin.time.first == 0 && thin.time.last == Int64(n - 1) * 60)
        #expect(thin.drawdown?.min() == drawdown.min())
        #expect(zip(thin.time, thin.time.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test(arguments: [1, 2, 3])
    func tinyPointCountsNeverCrash(points: Int) {
        let curve = Curve(time: (0..<100).map { Int64($0) }, equity: (0..<100).map { 100 - Double($0 % 7) },
                          drawdown: (0..<100).map { -Double($0 % 7) / 100 })
        let thin = curve.downsampled(to: points)
        #expect(thin.count == max(2, points))
        #expect(thin.time.first == 0 && thin.time.last == 99)
    }

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
        let cache = ResultCache(maxEntries: 2, maxBytes: 1 << 30)
        func results(_ id: String) -> RunResults {
            RunResults(id: id, status: "completed", strategy: "s", data: .init(source: "x", timeframe: nil, bars: 0, from: "", to: ""),
                       account: AccountConfig(), summary: .null, equity: Curve(time: [], equity: []), trades: [], runs: [],
                       baseline: nil, artifacts: [])
        }
        cache.put("a", results("a"), bytes: 100)
        cache.put("b", results("b"), bytes: 100)
        _ = cache.get("a")
        cache.put("c", results("c"), bytes: 100)
        #expect(cache.get("b") == nil && cache.get("a")?.id == "a" && cache.get("c")?.id == "c")
        let small = ResultCache(maxEntries: 10, maxBytes: 250)
        for id in ["1", "2", "3"] { small.put(id, results(id), bytes: 100) }
        #expect(small.usage.entries == 2 && small.usage.bytes == 200 && small.get("1") == nil)
        small.storeBody("3", view: 5, Data(count: 40))
        #expect(small.body("3", view: 5)?.count == 40 && small.usage.bytes == 240)
        small.storeBody("2", view: 5, Data(count: 40))           // would exceed the bound: not kept
        #expect(small.body("2", view: 5) == nil)
        small.put("4", results("4"), bytes: 1000)                 // larger than the bound: not cached
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

@Suite("Worker events")
struct WorkerEventTests {
    static func state(_ values: [Double]) -> LiveState {
        LiveState(
            status: "running", currentTime: "2024-01-02T03:04:05.678Z", currentCandleIndex: 1234, totalCandles: 99_999,
            progressPercent: 1.2340123401234012, currentCapital: values[0], peakCapital: values[1], drawdown: values[2], openTrades: 1,
            recentSignals: [.init(time: "2024-01-02T03:04:00Z", action: "buy \"quoted\"\n\\", side: "long", price: values[3], status: "filled", run: 2),
                            .init(time: "2024-01-02T03:05:00Z", action: "sell", side: "long", price: nil, status: "rejected", run: 2)],
            recentTrades: [.init(run: 2, side: "short", entryTime: "a", exitTime: "b\u{1}", entryPrice: values[4], exitPrice: values[5],
                                 pnl: values[6], pnlPercent: values[7], exitReason: "stop_loss")],
            metrics: .init(totalTrades: 3, winningTrades: 1, losingTrades: 2, winRate: 1.0 / 3, totalPnl: values[8],
                           equityCurve: values.enumerated().map { .init(time: Int64($0.offset) * 60, value: $0.element) }),
            run: 2, runs: 7)
    }

    @Test(arguments: [
        [10_000, 10_500.25, -0.047619047619047616, 42_123.456, 0.1, 0.30000000000000004, -12.5, 1e-7, -3.3e21],
        [.nan, .infinity, -.infinity, 0, -0.0, 1e15, 123_456_789_012_345_678, 5e-324, Double.greatestFiniteMagnitude],
    ])
    func handWrittenStatesDecodeToTheSameValues(values: [Double]) throws {
        let event = WorkerEvent(type: .state, state: Self.state(values))
        let line = try event.jsonLine()
        #expect(line.last == UInt8(ascii: "\n"))
        let decoded = try JSONCoding.decoder().decode(WorkerEvent.self, from: line.dropLast())
        let a = try #require(decoded.state), b = Self.state(values)
        // NaN never equals itself: compare through the encoded form of the standard encoder.
        #expect(try JSONCoding.encoder().encode(a) == JSONCoding.encoder().encode(b))
        #expect(decoded.type == .state)
    }

    @Test func theSupervisorRecognizesIntermediateStateLines() throws {
        let state = Self.state(Array(repeating: 1, count: 9))
        let running = try WorkerEvent(type: .state, state: state).jsonLine().dropLast()
        #expect(WorkerProcess.isState(Data(running)))
        let line = try #require(WorkerProcess.StateLine(Data(running)))
        #expect(line.index == 1234 && line.time == "2024-01-02T03:04:05.678Z")
        #expect(try JSONCoding.decoder().decode(LiveState.self, from: line.json) == state)
        var done = Self.state(Array(repeating: 1, count: 9))
        done.status = "completed"
        #expect(!WorkerProcess.isState(Data(try WorkerEvent(type: .state, state: done).jsonLine().dropLast())))
        #expect(!WorkerProcess.isState(Data(try WorkerEvent(type: .paused, state: Self.state(Array(repeating: 1, count: 9))).jsonLine().dropLast())))
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TradelabCore
import TradelabData
import TradelabRun
@testable import TradelabServer

@Suite("Backtest routes (real worker processes)")
struct BacktestRouteTests {
    /// Polls until the session leaves queued/running/paused.
    static func waitForEnd(_ client: any TestClientProtocol, _ id: String) async throws -> [String: Any] {
        for _ in 0..<600 {
            let session = try await client.send(.get, "/api/backtest/\(id)").json
            if let status = session["status"] as? String, ["completed", "stopped", "failed"].contains(status) { return session }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        Issue.record("session \(id) did not finish")
        return [:]
    }

    @Test func aRunCompletesAndItsResultsEqualTheEngines() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        let dataDirectory = fixture.configuration.dataDirectory
        try await fixture.withRouter { client in
            let started = try await client.send(.post, "/api/backtest/run", object: [
                "strategy": "sma-cross", "params": ["fast": 5, "slow": 20], "data": ["symbol": "BTCUSDT", "timeframe": "15m"],
                "account": ["commission": 0.001], "baseline": "buy-and-hold",
            ])
            #expect(started.status == .accepted)
            let id = try #require(started.json["id"] as? String)
            let session = try await Self.waitForEnd(client, id)
            #expect(session["status"] as? String == "completed")

            // Typed decoding: Foundation's JSONSerialization on Linux does not parse doubles exactly.
            let response = try await client.send(.get, "/api/backtest/\(id)/results?maxPoints=0")
            let results = try JSONCoding.decode(RunResults.self, from: Data(response.body.readableBytesView))
            let bars = try DataCatalog(directory: dataDirectory).load(symbol: "BTCUSDT", timeframe: .m15, from: nil, to: nil)
            var config = AccountConfig()
            config.commissionRate = 0.001
            let expected = try Backtester(config: config).run(try NativeStrategy(name: "sma-cross", parameters: ["fast": 5, "slow": 20]), on: bars)
            #expect(results.equity?.equity == expected.equity.equity)
            #expect(results.equity?.time == expected.equity.timestamps.map { $0 / 1000 })
            #expect(results.trades == expected.trades.map { TradeRow($0, run: 1) })
            #expect(!expected.trades.isEmpty)
            let hold = try Backtester(config: config).run(try NativeStrategy(name: "buy-and-hold"), on: bars)
            #expect(results.baseline?.totalReturn == hold.finalEquity / 10_000 - 1)
            #expect(results.baseline?.equity?.equity == hold.equity.equity)
            #expect(results.runs?.count == 1 && results.runs?[0].metrics.tradeCount == expected.metrics().tradeCount)
            #expect(results.metrics == expected.metrics())
            #expect(results.timings.totalMs > 0 && results.timings.engineMs > 0)

            let status = try await client.send(.get, "/api/backtest/\(id)/status").json
            #expect(status["progressPercent"] as? Double == 100)
            #expect(status["totalCandles"] as? Int == bars.count)

            let csv = try await client.send(.get, "/api/backtest/\(id)/artifacts/trades.csv")
            #expect(csv.status == .ok)
            #expect(csv.text.split(separator: "\n").count == expected.trades.count + 1)
            let page = try await client.send(.get, "/api/backtest/\(id)/trades?offset=1&limit=2").json
            #expect(page["total"] as? Int == expected.trades.count)
            #expect((page["trades"] as? [Any])?.count == min(2, max(0, expected.trades.count - 1)))
            let thin = try await client.send(.get, "/api/backtest/\(id)/equity?maxPoints=50").json
            #expect((thin["equity"] as? [Double])?.count == 50)
            #expect((thin["equity"] as? [Double])?.last == expected.finalEquity)
            let candles = try await client.send(.get, "/api/backtest/\(id)/candles?maxPoints=100").json
            #expect((candles["time"] as? [Int])?.count ?? 0 <= 100)
            #expect(candles["sourceCount"] as? Int == bars.count)

            let engine = try await client.send(.get, "/api/engine").json
            #expect((engine["runsByStatus"] as? [String: Int])?["completed"] == 1)

            #expect(try await client.send(.post, "/api/backtest/\(id)/pause").status == .conflict)
            #expect(try await client.send(.delete, "/api/backtest/\(id)").status == .noContent)
            #expect(try await client.send(.get, "/api/backtest/\(id)").status == .notFound)
            #expect(!FileManager.default.fileExists(atPath: fixture.configuration.artifactsDirectory + "/" + id))
        }
    }

    @Test func anIdleSessionStartsOnRequestAndAFailedScriptSaysWhere() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.withRouter { client in
            let code = "function on_bar(ctx, bar)\n  if ctx.index == 30 then error('boom') end\n  return 'hold'\nend\n"
            let created = try await client.send(.post, "/api/backtest/create", object: [
                "code": code, "name": "boom", "data": ["symbol": "AAPL", "timeframe": "1h"],
            ])
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            #expect(created.json["status"] as? String == "idle")
            #expect(try await client.send(.get, "/api/backtest/\(id)/results").status == .conflict)
            #expect(try await client.send(.post, "/api/backtest/\(id)/start").status == .ok)
            #expect(try await client.send(.post, "/api/backtest/\(id)/start").status == .conflict)
            let session = try await Self.waitForEnd(client, id)
            #expect(session["status"] as? String == "failed")
            let error = session["error"] as? [String: Any] ?? [:]
            let message = error["message"] as? String ?? ""
            #expect(error["code"] as? String == "strategy_error")
            #expect(message.contains("boom.lua:2"), "\(message)")
            let results = try await client.send(.get, "/api/backtest/\(id)/results")
            #expect(results.status == .conflict)
            #expect(results.errorMessage.contains("boom"))
        }
    }

    @Test func randomizedRunsReportEveryWindow() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.withRouter { client in
            let started = try await client.send(.post, "/api/backtest/run", object: [
                "strategy": "examples/sma_cross", "data": ["symbol": "BTCUSDT", "timeframe": "5m"],
                "randomized": ["runs": 7, "duration": "1d", "seed": 3], "baseline": "buy-and-hold",
            ])
            let id = try #require(started.json["id"] as? String)
            #expect(try await Self.waitForEnd(client, id)["status"] as? String == "completed")
            let results = try await client.send(.get, "/api/backtest/\(id)/results").json
            let runs = try #require(results["runs"] as? [[String: Any]])
            #expect(runs.map { $0["run"] as? Int } == Array(1...7))
            #expect(runs.allSatisfy { $0["bars"] as? Int == 288 })
            #expect(((results["baseline"] as? [String: Any])?["runs"] as? [Any])?.count == 7)
            let aggregate = try #require(results["randomized"] as? [String: Any])
            let mean = runs.compactMap { ($0["metrics"] as? [String: Any])?["totalReturn"] as? Double }.reduce(0, +) / 7
            #expect(abs((aggregate["meanReturn"] as? Double ?? .nan) - mean) < 1e-12)
            let runsCSV = try await client.send(.get, "/api/backtest/\(id)/artifacts/runs.csv")
            #expect(runsCSV.status == .ok)
            #expect(runsCSV.text.split(separator: "\n").count == 8)
            let equityCSV = try await client.send(.get, "/api/backtest/\(id)/artifacts/equity.csv")
            #expect(equityCSV.status == .ok && equityCSV.text.hasPrefix("run,time,equity,cash,position,drawdown,baseline\n"))
            #expect(equityCSV.text.split(separator: "\n").count == 7 * 288 + 1)
        }
    }
}

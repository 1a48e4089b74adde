import Foundation
import Testing
import TradelabCore
@testable import TradelabRun

@Suite("Results and events encoding")
struct ResultsCodingTests {
    @Test func resultsRoundTripThroughTheirOneEncoding() throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let windows = RandomizedWindows(runs: 3, duration: try TimeSpan(parsing: "12h"), seed: 1)
        for job in [fixture.job(baseline: .buyAndHold), fixture.job(randomized: windows, baseline: .buyAndHold)] {
            let results = try #require(try JobRunner(job: job).run().results)
            let decoded = try JSONCoding.decode(RunResults.self, from: JSONCoding.encode(results))
            #expect(try JSONCoding.encode(decoded) == JSONCoding.encode(results))   // NaN-safe comparison
            let summary = results.summary
            #expect(summary.equity == nil && summary.trades == nil && summary.runs == nil && summary.baseline?.equity == nil)
            #expect(summary.tradesTotal == results.tradesTotal && summary.metrics == results.metrics)
            let view = results.view(maxPoints: 50, tradesLimit: 3)
            #expect((view.equity?.count ?? 0) <= 51 && view.trades?.count == min(3, results.tradesTotal))
            #expect(view.equity?.equity.last == results.equity?.equity.last)
        }
    }

    @Test func everyWorkerEventDecodesToItself() throws {
        let state = LiveState(currentCandleIndex: 3, currentTime: "2024-01-01T00:03:00Z", status: "running", totalCandles: 10,
                              progressPercent: 30, currentCapital: 10_001.5, peakCapital: 10_002, drawdown: -0.00005, maxDrawdown: -0.01,
                              realizedPnl: 1, unrealizedPnl: 0.5, openTrades: 1, metrics: .init(totalTrades: 1, winningTrades: 1, winRate: 1, totalPnl: 1))
        let events: [WorkerEvent] = [.started(totalCandles: 10, runs: 2), .state(state), .paused(state), .resumed,
                                     .finished(status: .stopped, summary: nil), .error(code: "data_error", message: "no \"file\"\n"),
                                     .progress(OptimizationProgress(phase: .walkForward, done: 7, total: 12,
                                                                    best: OptimizationTrial(trial: 3, params: ["fast": 5], objective: nil, finalEquity: 9_000,
                                                                                           closedTrades: 1, metrics: nil, rejected: "too few trades"),
                                                                    generations: [.init(generation: 1, best: 0.5, mean: 0.25, evaluated: 8)]))]
        for event in events {
            let line = try event.jsonLine()
            #expect(line.last == UInt8(ascii: "\n") && !line.dropLast().contains(UInt8(ascii: "\n")))
            #expect(try JSONCoding.decode(WorkerEvent.self, from: Data(line.dropLast())) == event)
            #expect(String(decoding: line, as: UTF8.self).hasPrefix(#"{"type":"\#(event.kind.rawValue)""#))
        }
    }

    @Test func jobsRoundTrip() throws {
        let job = RunJob(strategy: .lua(name: "a.lua", code: "x"), parameters: ["p": 1.5], data: .init(symbol: "BTCUSDT", timeframe: "1h", directory: "d"),
                         randomized: RandomizedWindows(runs: 4, duration: try TimeSpan(parsing: "7d"), seed: 9), baseline: .run(id: "bt_1"),
                         limits: RunLimits(luaMemoryMiB: 8, timeLimit: 2), metrics: MetricsOptions(riskFreeRate: 0.02))
        let assignment = WorkerAssignment(id: "bt_x", job: job, outputDirectory: "/tmp/o", stateEvery: 5, stateInterval: 0.03)
        #expect(try JSONCoding.decode(WorkerAssignment.self, from: JSONCoding.encode(assignment)) == assignment)
        let space = try ParameterSpace(ranges: [try .init(parsing: "fast=5:20:5"), try .init(parsing: "x=0.5:1:0.25")],
                                       constraints: [try .init(parsing: "fast<slow")], fixed: ["slow": 30])
        let search = OptimizationJob(base: job, space: space, method: .genetic(GeneticOptions(population: 6, generations: 3, patience: 2)),
                                     objective: .maxDrawdown, filter: TrialFilter(minTrades: 3, maxDrawdown: 0.3), seed: 5,
                                     walkForward: WalkForwardOptions(folds: 3, inSample: 0.6, anchored: true), monteCarlo: 100)
        let optimization = WorkerAssignment(id: "op_x", work: .optimization(search), outputDirectory: "/tmp/o", stateInterval: 0.1)
        let encoded = try JSONCoding.encode(optimization)
        #expect(try JSONCoding.decode(WorkerAssignment.self, from: encoded) == optimization)
        let object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        #expect(object["optimization"] != nil && object["job"] == nil)
        // Exactly one of the two.
        var both = object
        both["job"] = try JSONSerialization.jsonObject(with: JSONCoding.encode(job))
        var neither = object
        neither["optimization"] = nil
        for wrong in [both, neither] {
            #expect(throws: DecodingError.self) { try JSONCoding.decode(WorkerAssignment.self, from: JSONSerialization.data(withJSONObject: wrong)) }
        }
        for reference in [StrategyReference.builtin("sma-cross"), .file("s.lua")] {
            #expect(try JSONCoding.decode(StrategyReference.self, from: JSONCoding.encode(reference)) == reference)
        }
        #expect(try JSONCoding.decode(BaselineReference.self, from: JSONCoding.encode(BaselineReference.buyAndHold)) == .buyAndHold)
    }

    @Test func namesOfTheCatalogAreBuiltInsAndEverythingElseIsAScript() {
        #expect(StrategyReference.named("SMA-Cross") { _ in .file("x") } == .builtin("sma-cross"))
        #expect(StrategyReference.named("mine.lua") { .file($0) } == .file("mine.lua"))
    }
}

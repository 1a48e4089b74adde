import Foundation
import Testing
import TradelabCore
import TradelabData
@testable import TradelabRun

@Suite("Optimizer")
struct OptimizerTests {
    func job(_ fixture: RunFixture, _ strategy: StrategyReference = .builtin("sma-cross"), method: SearchMethod = .grid,
             filter: TrialFilter = TrialFilter()) throws -> OptimizationJob {
        var base = fixture.job(strategy, parameters: [:], timeframe: "15m")
        base.parameters = [:]
        let space = try ParameterSpace(ranges: [try .init(parsing: "fast=3:12:3"), try .init(parsing: "slow=20:40:10")],
                                       constraints: [try .init(parsing: "fast<slow")])
        return OptimizationJob(base: base, space: space, method: method, objective: .totalReturn, filter: filter)
    }

    @Test func everyTrialIsTheBacktestOfItsParametersAndTheBestIsTheHighest() throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let job = try job(fixture)
        let results = try Optimizer(job: job, parallelism: 2).run()
        #expect(results.trials.count == 12 && results.guards.trials == 12 && results.guards.combinations == 12)
        #expect(results.trials.map(\.trial) == Array(1...12))
        for t in results.trials {
            var single = job.base
            single.parameters = t.params
            let alone = try #require(try JobRunner(job: single).run().results?.metrics)
            #expect(t.metrics == alone && t.objective == alone.totalReturn && t.finalEquity == alone.finalEquity)
            #expect(t.closedTrades == alone.tradeCount)
        }
        let best = try #require(results.best)
        #expect(results.trials.allSatisfy { ($0.objective ?? -.infinity) <= best.objective! })
        #expect(results.ranked.first == best)
    }

    @Test func luaTrialsEqualTheNativeOnesAndAFilterRejectsWithTheReason() throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let native = try Optimizer(job: job(fixture)).run()
        let lua = try Optimizer(job: job(fixture, .lua(name: "cross.lua", code: RunFixture.luaCross.code))).run()
        #expect(lua.trials.map(\.finalEquity) == native.trials.map(\.finalEquity))
        let filtered = try Optimizer(job: job(fixture, filter: TrialFilter(minTrades: 1_000))).run()
        #expect(filtered.best == nil && filtered.guards.rejected == 12)
        #expect(filtered.trials.allSatisfy { $0.rejected?.contains("fewer than 1000") == true && $0.metrics != nil })
    }

    @Test func aScriptThatFailsInATrialIsRecordedAndTheSearchGoesOn() throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let code = """
            -- @param fast 10
            -- @param slow 30
            function on_bar(ctx, bar)
              if params.fast == 6 and ctx.index == 50 then error("six fails") end
            end
            """
        let results = try Optimizer(job: job(fixture, .lua(name: "fails.lua", code: code))).run()
        let failed = results.trials.filter { $0.params["fast"] == 6 }
        #expect(failed.count == 3 && failed.allSatisfy { $0.rejected?.contains("six fails") == true && $0.objective == nil })
        #expect(results.trials.count == 12 && results.best != nil)
    }

    @Test func badRangesAndParametersFailBeforeAnyWork() throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        var bad = try job(fixture)
        bad.space = try ParameterSpace(ranges: [try .init(parsing: "speed=1:3:1")])
        #expect { _ = try Optimizer(job: bad).run() } throws: { "\($0)".contains("speed") }
        var genetic = try job(fixture, method: .genetic(GeneticOptions(population: 4, generations: 3)))
        genetic.seed = 3
        let a = try Optimizer(job: genetic, parallelism: 2).run(), b = try Optimizer(job: genetic, parallelism: 1).run()
        #expect(a.trials.map(\.params) == b.trials.map(\.params) && a.generations?.isEmpty == false)
    }
}

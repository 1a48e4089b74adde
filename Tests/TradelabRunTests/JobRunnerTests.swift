import Foundation
import Testing
import TradelabCore
import TradelabData
import TradelabLua
@testable import TradelabRun

@Suite("Job runner")
struct JobRunnerTests {
    @Test func aSingleRunEqualsTheEngineAndReportsWhereTimeWent() throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let observer = RecordingObserver()
        let outcome = try JobRunner(job: fixture.job(timeframe: "5m"), sliceBars: 100).run(observer: observer)
        let results = try #require(outcome.results)
        let bars = fixture.bars.resampled(to: .m5)
        var config = AccountConfig()
        config.commissionRate = 0.001
        let expected = try Backtester(config: config).run(try NativeStrategy(name: "sma-cross", parameters: ["fast": 5, "slow": 20]), on: bars)
        #expect(results.trades == expected.trades.map { TradeRow($0, run: 1) } && !expected.trades.isEmpty)
        #expect(results.equity == Curve(expected.equity))
        #expect(results.metrics == expected.metrics())
        #expect(results.status == .completed && results.tradesTotal == expected.trades.count)
        #expect(results.strategy == "sma-cross(fast=5, slow=20)" && results.parameters == ["fast": 5, "slow": 20])
        #expect(results.data.symbol == "BTCUSDT" && results.data.bars == bars.count && results.data.timeframe == "5m")
        #expect(observer.started?.bars == bars.count && observer.started?.runs == 1)
        #expect(observer.progress.last == bars.count && observer.progress.count == (bars.count + 99) / 100)
        #expect(outcome.finalState?.currentCandleIndex == bars.count && outcome.finalState?.status == "completed")
        #expect(outcome.finalState?.currentCapital == expected.finalEquity)
        let t = results.timings
        #expect(t.loadMs > 0 && t.engineMs > 0 && t.totalMs >= t.loadMs + t.engineMs)
    }

    @Test func luaAndBuiltInCrossoversTradeAlike() throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let native = try #require(try JobRunner(job: fixture.job(parameters: ["fast": 10, "slow": 30])).run().results)
        let lua = try #require(try JobRunner(job: fixture.job(RunFixture.luaCross.reference, parameters: [:])).run().results)
        #expect(lua.trades == native.trades && lua.metrics?.finalEquity == native.metrics?.finalEquity)
        #expect(lua.strategy == "cross.lua(fast=10, slow=30)")
        #expect(lua.timings.indicatorsMs > 0)
    }

    @Test func randomizedWindowsGiveTheSameResultsOnOneThreadOrSeveral() throws {
        let fixture = try RunFixture(days: 6)
        defer { fixture.remove() }
        let windows = RandomizedWindows(runs: 9, duration: try TimeSpan(parsing: "1d"), seed: 5)
        let job = fixture.job(timeframe: "5m", randomized: windows, baseline: .buyAndHold)
        let sequential = try #require(try JobRunner(job: job, sliceBars: 37).run(observer: RecordingObserver()).results)
        let parallel = try #require(try JobRunner(job: job, parallelism: 3).run().results)
        var a = sequential, b = parallel
        a.timings = RunTimings()
        b.timings = RunTimings()
        #expect(a == b)
        #expect(a.runs?.count == 9 && a.randomized?.runs == 9 && a.metrics == nil)
        let returns = (a.runs ?? []).map(\.metrics.totalReturn)
        #expect(abs((a.randomized?.meanReturn ?? .nan) - returns.reduce(0, +) / 9) < 1e-15)
        #expect(a.baseline?.runs?.count == 9)
        #expect(a.tradesTotal == (a.runs ?? []).reduce(0) { $0 + $1.metrics.tradeCount + $1.metrics.openTradeCount })
    }

    @Test func buyAndHoldBaselineRunsOnTheSameBars() throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let outcome = try JobRunner(job: fixture.job(timeframe: "15m", baseline: .buyAndHold)).run()
        var config = AccountConfig()
        config.commissionRate = 0.001
        let hold = try Backtester(config: config).run(NativeStrategy.buyAndHold(), on: fixture.bars.resampled(to: .m15))
        #expect(outcome.results?.baseline?.equity?.equity == hold.equity.equity)
        #expect(outcome.results?.baseline?.totalReturn == hold.finalEquity / config.initialCash - 1)
    }

    @Test func anOptimizationsModelAsBaselineIsThatStrategyOnTheSameBarsAndAccount() throws {
        let fixture = try RunFixture(days: 6)
        defer { fixture.remove() }
        let model = BaselineReference.optimization(id: "op_1", strategy: RunFixture.luaCross.reference, parameters: ["fast": 6, "slow": 24])
        let job = fixture.job(.builtin("buy-and-hold"), parameters: [:], timeframe: "15m", baseline: model)
        #expect(try JSONCoding.decode(RunJob.self, from: JSONCoding.encode(job)) == job)
        let outcome = try JobRunner(job: job).run()
        let results = try #require(outcome.results)
        // The model alone, as a run of its own with the same account.
        let alone = try #require(try JobRunner(job: fixture.job(RunFixture.luaCross.reference, parameters: ["fast": 6, "slow": 24], timeframe: "15m")).run().results)
        let baseline = try #require(results.baseline)
        #expect(baseline.name == "cross.lua(fast=6, slow=24)" && baseline.optimizationId == "op_1" && baseline.runId == nil)
        #expect(baseline.equity == alone.equity && baseline.totalReturn == alone.metrics?.totalReturn)
        #expect(outcome.baselineRuns?.first?.result.trades.count == alone.tradesTotal)
        // Randomized windows: the model on each window's bars.
        let windows = RandomizedWindows(runs: 3, duration: try TimeSpan(parsing: "1d"), seed: 2)
        let each = try #require(try JobRunner(job: fixture.job(.builtin("buy-and-hold"), parameters: [:], timeframe: "15m", randomized: windows,
                                                               baseline: model)).run().results)
        #expect(each.baseline?.runs?.count == 3 && each.baseline?.name == baseline.name)
        // A model that cannot run fails the job with the script's message.
        let broken = BaselineReference.optimization(id: "op_2", strategy: RunFixture.luaCross.reference, parameters: ["speed": 1])
        #expect { _ = try JobRunner(job: fixture.job(timeframe: "15m", baseline: broken)).run() } throws: { "\($0)".contains("speed") }
    }

    @Test func aStopBeforeTheFirstBarLeavesNoResultsAndAStopMidwayKeepsTheBarsDone() throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let early = RunControl()
        early.apply(.stop)
        let none = try JobRunner(job: fixture.job()).run(control: early)
        #expect(none.results == nil)

        let control = RunControl()
        let observer = RecordingObserver()
        observer.onProgress = { done in if done >= 1000 { control.apply(.stop) } }
        let outcome = try JobRunner(job: fixture.job(), sliceBars: 250).run(control: control, observer: observer)
        let results = try #require(outcome.results)
        #expect(results.status == .stopped && results.equity?.count == 1000)
        #expect(outcome.finalState?.status == "stopped")
    }

    @Test func aPausedRunResumesAndEndsAsIfUninterrupted() throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let control = RunControl()
        let observer = RecordingObserver()
        observer.onProgress = { done in
            if done == 500 {
                control.apply(.pause)
                DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { control.apply(.resume) }
            }
        }
        let paused = try #require(try JobRunner(job: fixture.job(RunFixture.luaCross.reference, parameters: [:]), sliceBars: 100)
            .run(control: control, observer: observer).results)
        let straight = try #require(try JobRunner(job: fixture.job(RunFixture.luaCross.reference, parameters: [:])).run().results)
        #expect(observer.pauses == 1 && observer.resumes == 1)
        #expect(paused.trades == straight.trades && paused.equity == straight.equity)
    }

    @Test func aStopInterruptsAScriptLoopingInsideOnBar() throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let script = RunJobScript(name: "loop.lua", code: "function on_bar(ctx, bar)\n  if ctx.index == 10 then while true do end end\nend\n")
        let control = RunControl()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { control.apply(.stop) }
        let started = Date()
        let outcome = try JobRunner(job: fixture.job(script.reference, parameters: [:]), sliceBars: 1000).run(control: control)
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(outcome.results?.status == .stopped && outcome.results?.equity?.count == 11)
    }

    @Test(arguments: [
        ("missing", RunFailure.Code.dataError), ("param", .strategyError), ("runs", .invalidJob), ("duration", .invalidJob),
        ("script", .strategyError), ("account", .invalidJob),
    ])
    func failuresCarryAStableCode(kind: String, code: RunFailure.Code) throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        var job = fixture.job()
        switch kind {
        case "missing": job.data.file = fixture.directory + "/nope.csv"
        case "param": job.parameters = ["fast": 0]
        case "runs": job.randomized = RandomizedWindows(runs: 0, duration: try TimeSpan(parsing: "1d"))
        case "duration": job.randomized = RandomizedWindows(runs: 2, duration: try TimeSpan(parsing: "30d"))
        case "script": job.strategy = .lua(name: "bad.lua", code: "function on_bar(ctx, bar)\n  error('boom')\nend\n"); job.parameters = [:]
        default: job.account.commissionRate = -1
        }
        do {
            _ = try JobRunner(job: job).run()
            Issue.record("\(kind) did not fail")
        } catch {
            #expect(error.code == code, "\(kind): \(error)")
            if kind == "script" { #expect(error.message.contains("bad.lua:2")) }
        }
    }
}

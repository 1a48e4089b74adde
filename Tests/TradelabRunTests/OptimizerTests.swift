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

    @Test func eachWalkForwardFoldIsTheSearchOfItsWindowAndItsBestTestedOnTheNext() throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        var job = try job(fixture)
        job.walkForward = WalkForwardOptions(folds: 3, inSample: 0.6)
        let results = try Optimizer(job: job, parallelism: 2).run()
        let walk = try #require(results.walkForward)
        #expect(walk.windows.count == 3 && results.trials.count == 12)
        var level = job.base.account.initialCash
        for w in walk.windows {
            #expect(w.inSample.end < w.outOfSample.start)
            // The fold's search is the optimization of its in-sample window alone...
            var alone = job
            alone.walkForward = nil
            alone.base.data.from = UTCTime.format(w.inSample.start)
            alone.base.data.to = UTCTime.format(w.inSample.end + 1)
            let inSample = try Optimizer(job: alone).run()
            #expect(inSample.data.bars == w.inSample.bars && w.trials == inSample.trials.count)
            #expect(w.params == inSample.best?.params && w.inSampleMetrics == inSample.best?.metrics)
            // ... and its out-of-sample figures the backtest of those parameters after it.
            var test = job.base
            test.parameters = try #require(w.params)
            test.data.from = UTCTime.format(w.outOfSample.start)
            test.data.to = UTCTime.format(w.outOfSample.end + 1)
            let oos = try #require(try JobRunner(job: test).run().results?.metrics)
            #expect(oos == w.outOfSampleMetrics && oos.barCount == w.outOfSample.bars)
            level *= 1 + oos.totalReturn
        }
        // The stitched run compounds the windows' returns; the efficiency is the ratio of means.
        let stitched = try #require(walk.outOfSample)
        #expect(abs(stitched.finalEquity - level) <= 1e-9 * level)
        #expect(walk.equity?.equity.last.map { abs($0 - level) <= 1e-9 * level } == true)
        let isMean = walk.windows.compactMap { $0.inSampleMetrics?.annualizedReturn }.reduce(0, +) / 3
        let oosMean = walk.windows.compactMap { $0.outOfSampleMetrics?.annualizedReturn }.reduce(0, +) / 3
        #expect(walk.efficiency == (isMean > 0 ? oosMean / isMean : nil))
        // Anchored folds share their start.
        job.walkForward?.anchored = true
        let anchored = try #require(try Optimizer(job: job).run().walkForward)
        #expect(Set(anchored.windows.map(\.inSample.start)).count == 1)
        #expect(anchored.windows.map(\.outOfSample) == walk.windows.map(\.outOfSample))
    }

    @Test func monteCarloResamplesTheBestTrialsTradesAndBadOptionsFailFirst() throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        var job = try job(fixture)
        job.monteCarlo = 300
        let results = try Optimizer(job: job).run()
        let mc = try #require(results.monteCarlo)
        var single = job.base
        single.parameters = try #require(results.best?.params)
        let run = try #require(try JobRunner(job: single).run().results)
        #expect(mc.trades == run.metrics?.tradeCount && mc.simulations == 300 && mc.seed == job.seed)
        // Trades compounded in their own order end where the run's closed trades leave it.
        let closedPnl = try #require(run.trades).filter { $0.exitReason != .open }.map(\.pnl).reduce(0, +)
        #expect(abs(mc.shuffle.finalEquity.p50 - mc.actual.finalEquity) <= 1e-9 * mc.actual.finalEquity)
        #expect(abs(mc.actual.finalEquity - (job.base.account.initialCash + closedPnl)) <= 1e-6 * mc.actual.finalEquity)
        #expect(try Optimizer(job: job).run().monteCarlo == mc)     // seeded
        for bad in [0, OptimizationJob.maximumMonteCarlo + 1] {
            job.monteCarlo = bad
            #expect { _ = try Optimizer(job: job).run() } throws: { "\($0)".contains("--monte-carlo takes 1 to") }
        }
        job.monteCarlo = nil
        job.walkForward = WalkForwardOptions(folds: 50_000)
        #expect { _ = try Optimizer(job: job).run() } throws: { "\($0)".contains("folds") }
    }

    @Test func aWorkerRunsASearchReportingProgressInOrderAndWritesTheWholeResults() throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let search = try job(fixture, method: .genetic(GeneticOptions(population: 4, generations: 3, patience: 3)))
        let output = fixture.directory + "/op_test"
        let events = EventLog()
        let assignment = WorkerAssignment(id: "op_test", work: .optimization(search), outputDirectory: output, stateInterval: 0)
        #expect(WorkerRun(assignment: assignment, control: RunControl()) { events.append($0) }.run() == 0)
        let all = events.all
        guard case .finished(.completed, nil)? = all.last else { Issue.record("no finished event: \(all.suffix(2))"); return }
        let progress = all.compactMap { event -> OptimizationProgress? in if case .progress(let p) = event { p } else { nil } }
        #expect(progress.count >= 3 && all.dropLast().allSatisfy { if case .progress = $0 { true } else { false } })
        // Counts only grow (trials finish on several threads); the final report is the whole search.
        let counts = progress.dropLast().map(\.done)
        #expect(zip(counts, counts.dropFirst()).allSatisfy { $0 < $1 } && progress.last!.done >= counts.last!)
        let whole = try JSONCoding.decode(OptimizationResults.self, from: Data(contentsOf: URL(fileURLWithPath: output + "/results.json")))
        let last = try #require(progress.last)
        #expect(last.done == whole.trials.count && last.total == last.done && last.best == whole.best && last.generations == whole.generations)
        #expect((whole.generations?.count ?? 0) >= 2 && whole.cancelled == false)
        // The same trials as the search run here; trials.csv beside it.
        let direct = try Optimizer(job: search).run()
        #expect(whole.trials == direct.trials && whole.guards == direct.guards)
        #expect(FileManager.default.fileExists(atPath: output + "/trials.csv"))

        // Stopped before it starts: no trial, finished as stopped, its (empty) results written.
        let control = RunControl()
        control.apply(.stop)
        let stopped = EventLog()
        let cut = WorkerAssignment(id: "op_cut", work: .optimization(search), outputDirectory: fixture.directory + "/op_cut")
        #expect(WorkerRun(assignment: cut, control: control) { stopped.append($0) }.run() == 0)
        guard case .finished(.stopped, nil)? = stopped.all.last else { Issue.record("\(stopped.all)"); return }
        let partial = try JSONCoding.decode(OptimizationResults.self, from: Data(contentsOf: URL(fileURLWithPath: fixture.directory + "/op_cut/results.json")))
        #expect(partial.cancelled && partial.trials.isEmpty)
    }

    @Test func aStopInterruptsTrialsStuckInTheirScriptAndKeepsTheFinishedOnes() throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let code = """
            -- @param p 1 [1, 10]
            function on_bar(ctx, bar)
              if params.p == 3 then while true do end end
              if ctx.index % 10 == 0 then return "buy" end
              if ctx.index % 10 == 5 then return "sell" end
            end
            """
        var base = fixture.job(.lua(name: "stuck.lua", code: code), parameters: [:], timeframe: "15m")
        base.limits = RunLimits(luaMemoryMiB: 64, timeLimit: 600)
        let job = OptimizationJob(base: base, space: try ParameterSpace(ranges: [try .init(parsing: "p=1:4:1")]), objective: .totalReturn)
        let control = RunControl()
        Thread.detachNewThread { Thread.sleep(forTimeInterval: 1); control.apply(.stop) }   // as the worker's control thread
        let start = Date()
        let results = try Optimizer(job: job, parallelism: 2).run(control: control)
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(results.cancelled && !results.trials.contains { $0.params["p"] == 3 })
        #expect(results.trials.allSatisfy { $0.rejected == nil } && results.trials.contains { $0.params["p"] == 1 })
    }
}

/// Events a ``WorkerRun`` emitted, from any thread.
private final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [WorkerEvent] = []
    func append(_ event: WorkerEvent) { lock.withLock { events.append(event) } }
    var all: [WorkerEvent] { lock.withLock { events } }
}

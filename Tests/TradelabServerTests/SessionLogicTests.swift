import Foundation
import GRDB
import Testing
import TradelabRun
@testable import TradelabServer

/// The session logic against in-process workers: what the API says about a run is true at every
/// moment (pausing before paused, stopping before stopped), the queue keeps its order and bound.
@Suite("Session logic (in-process workers)")
struct SessionLogicTests {
    static func services(_ fixture: ServerFixture, pool: InProcessWorkerPool, workers: Int = 2) throws -> ServerServices {
        var configuration = fixture.configuration
        configuration.maxWorkers = workers
        return try ServerServices(configuration: configuration, pool: pool)
    }

    static func request(_ symbol: String = "BTCUSDT", every: Int = 50) -> BacktestRequest {
        BacktestRequest(strategy: "sma-cross", data: .init(symbol: symbol, timeframe: "1m"), stateEvery: every)
    }

    static func submit(_ services: ServerServices, _ request: BacktestRequest = request()) async throws -> String {
        try await services.createSession(request, start: true).id
    }

    /// Polls the manager until `condition` holds for the session. The deadline only turns a hang
    /// into a failure: `swift test` starts every suite at once, and on two cores the synchronous
    /// suites (optimizer trials, randomized windows) can hold both cooperative threads for most of
    /// the run, so the manager's tasks may wait that long before they read a worker's events (a
    /// clean-clone run saw nothing move for 35 s). Nothing here measures speed.
    static func until(_ services: ServerServices, _ id: String, timeout: Double = 180,
                      _ condition: (SessionView) -> Bool) async throws -> SessionView {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let view = try await services.manager.session(id)
            if condition(view) { return view }
            if Date() > deadline { Issue.record("session \(id) stayed \(view.status)"); return view }
            try await Task.sleep(nanoseconds: 2_000_000)
        }
    }

    @Test func aPauseIsReportedOnlyOnceTheWorkerHasPaused() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        let pool = InProcessWorkerPool(gated: true)
        let services = try Self.services(fixture, pool: pool)
        let id = try await Self.submit(services)
        _ = try await Self.until(services, id) { $0.currentCandleIndex >= 50 }
        let worker = try #require(pool.worker(id))
        // The worker is held inside its slice: asked to pause, it has not paused yet.
        #expect(try await services.manager.pause(id).status == .pausing)
        try await Task.sleep(nanoseconds: 100_000_000)
        let held = try await services.manager.status(id)
        #expect(held.status == .pausing)
        worker.release()
        let paused = try await Self.until(services, id) { $0.status == .paused }
        let progress = paused.currentCandleIndex
        try await Task.sleep(nanoseconds: 100_000_000)
        #expect(try await services.manager.status(id).currentCandleIndex == progress)   // paused means no bar moves
        #expect(try await services.manager.resume(id).status == .running)
        worker.release(1_000_000)
        let done = try await Self.until(services, id) { $0.status.isFinal }
        #expect(done.status == .completed && done.currentCandleIndex == done.totalCandles)
    }

    @Test func aFinishedRecordIsStoredWholeInEveryColumn() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        let services = try Self.services(fixture, pool: InProcessWorkerPool(gated: false))
        let id = try await Self.submit(services)
        _ = try await Self.until(services, id) { $0.status.isFinal }
        let record = try await services.manager.record(id)
        #expect(record.summary != nil && record.job != nil && record.request != nil)
        #expect(try services.store.fetch(SessionRecord.self, id: id) == record)
        // The hand-written columns name every property of the record.
        let properties = Set(Mirror(reflecting: record).children.compactMap(\.label))
        #expect(Set(try record.databaseDictionary.keys) == properties)
    }

    @Test func aResumeBeforeThePauseTookEffectCancelsIt() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        let pool = InProcessWorkerPool(gated: true)
        let services = try Self.services(fixture, pool: pool)
        let id = try await Self.submit(services)
        _ = try await Self.until(services, id) { $0.currentCandleIndex >= 50 }
        #expect(try await services.manager.pause(id).status == .pausing)
        #expect(try await services.manager.resume(id).status == .running)
        pool.worker(id)?.release(1_000_000)
        #expect(try await Self.until(services, id) { $0.status.isFinal }.status == .completed)
    }

    @Test func aStopIsStoppingUntilTheWorkerHasWrittenItsResults() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        let pool = InProcessWorkerPool(gated: true)
        let services = try Self.services(fixture, pool: pool)
        let id = try await Self.submit(services)
        _ = try await Self.until(services, id) { $0.currentCandleIndex >= 50 }
        #expect(try await services.manager.stop(id).status == .stopping)
        #expect(try await services.manager.stop(id).status == .stopping)   // asking again changes nothing
        await #expect(throws: APIError.self) { try await services.manager.pause(id) }
        pool.worker(id)?.release()
        let stopped = try await Self.until(services, id) { $0.status.isFinal }
        #expect(stopped.status == .stopped && stopped.currentCandleIndex < stopped.totalCandles)
        let results = try await services.results.stored(id).view()
        #expect(results.status == .stopped && results.equity?.count == stopped.currentCandleIndex)
        #expect(stopped.summary?.metrics == results.metrics)
    }

    @Test func aWorkerThatDiesFailsOnlyItsSessionAndTheQueueMovesOn() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        let pool = InProcessWorkerPool(gated: true)
        let services = try Self.services(fixture, pool: pool, workers: 1)
        let first = try await Self.submit(services)
        let second = try await Self.submit(services, Self.request("AAPL"))
        _ = try await Self.until(services, first) { $0.currentCandleIndex >= 50 }
        #expect(try await services.manager.session(second).status == .queued)
        #expect(try await services.manager.session(second).queuePosition == 1)
        #expect(await services.manager.engine().workers.busy == 1)
        pool.worker(first)?.kill(reason: "the worker exceeded its memory limit of 1 MiB (resident 2 MiB)")
        let failed = try await Self.until(services, first) { $0.status.isFinal }
        #expect(failed.status == .failed && failed.error?.code == "limit_exceeded")
        _ = try await Self.until(services, second) { $0.status == .running }
        pool.worker(second)?.release(1_000_000)
        #expect(try await Self.until(services, second) { $0.status.isFinal }.status == .completed)
    }
}

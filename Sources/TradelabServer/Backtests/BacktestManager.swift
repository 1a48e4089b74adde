import Foundation
import Logging
import TradelabData
import TradelabRun

/// Handles the backtest commands and the workers' events: creation, start, pause, resume, stop,
/// deletion, and what each worker reports. Its parts, each a concept of its own: the sessions
/// (``SessionStore``), the runs waiting (``RunQueue``), the workers (a ``WorkerPool``) and the
/// live states (``LivePublisher``).
///
/// Runs start in submission order, at most `maxWorkers` at once. A worker's events are handled
/// in the order it wrote them; a worker that dies fails only its own session.
actor BacktestManager {
    let configuration: ServerConfiguration
    let cache: ResultCache
    let hub: LiveHub
    let pool: any WorkerPool
    let startedAt = Date()
    private let logger = Logger(label: "tradelab.backtests")

    private var sessions: SessionStore
    private var queue = RunQueue()
    private var live: LivePublisher
    private var workers: [String: any WorkerHandle] = [:]

    /// Loads the sessions (see ``SessionStore/init(database:logger:)``).
    init(configuration: ServerConfiguration, store: RunStore, cache: ResultCache, hub: LiveHub, pool: any WorkerPool) throws {
        self.configuration = configuration
        self.cache = cache
        self.hub = hub
        self.pool = pool
        sessions = try SessionStore(database: store, logger: logger)
        live = LivePublisher(hub: hub)
    }

    // MARK: Commands

    /// Creates a session from a request resolved beforehand (outside the actor: resolving reads
    /// files and compiles the script); with `start`, queues it at once.
    /// - Throws: 404/409 for a bad baseline run, 503 `queue_full` when too many runs wait.
    func create(_ request: BacktestRequest, resolved: JobResolver.Resolved, start: Bool) throws -> SessionView {
        if let other = resolved.baselineRunId { try checkBaseline(other, for: resolved.assignment.job) }
        if start, queue.isFull {
            throw APIError(.serviceUnavailable, "queue_full", "\(queue.waiting.count) runs are already waiting; try again when some have finished")
        }
        let id = resolved.assignment.id
        let record = SessionRecord(
            id: id, sequence: sessions.takeSequence(), name: request.name ?? "\(resolved.strategyLabel) on \(resolved.symbol ?? "data")",
            status: start ? .queued : .idle, strategy: resolved.strategyLabel, symbol: resolved.symbol, timeframe: resolved.timeframe,
            createdAt: Date().timeIntervalSince1970, startedAt: nil, finishedAt: nil, totalCandles: 0, currentCandleIndex: 0,
            request: request, job: resolved.assignment, summary: nil, errorCode: nil, errorMessage: nil, runSeconds: 0,
            baselineRunId: resolved.baselineRunId)
        try sessions.save(record)
        if start {
            queue.append(id)
            pump()
        }
        return view(record)
    }

    /// A previous run can be a baseline when it finished, was a single run, and used the same data.
    private func checkBaseline(_ other: String, for job: RunJob) throws {
        let base = try sessions.find(other)
        guard base.status == .completed || base.status == .stopped else {
            throw APIError.invalidState("baseline: run '\(other)' has not finished (status \(base.status.rawValue))")
        }
        guard let baseJob = try sessions.complete(other).job?.job else { throw APIError.notFound("baseline: no run with id '\(other)'") }
        guard baseJob.randomized == nil, job.randomized == nil else {
            throw APIError.badRequest("baseline: only single runs can be compared with a previous run, not randomized ones", code: "invalid_value")
        }
        guard baseJob.data == job.data else {
            throw APIError.badRequest("baseline: run '\(other)' used other data (\(baseJob.data.sourceName) \(baseJob.data.timeframe ?? ""), "
                                      + "\(baseJob.data.from ?? "start")..\(baseJob.data.to ?? "end")); compare runs on the same data", code: "invalid_value")
        }
    }

    /// idle -> queued.
    func start(_ id: String) throws -> SessionView {
        var record = try sessions.find(id)
        guard record.status == .idle else { throw APIError.invalidState("only an idle session can be started; '\(id)' is \(record.status.rawValue)") }
        record.status = .queued
        try sessions.save(record)
        queue.append(id)
        pump()
        return view(record)
    }

    /// running -> pausing; the worker's confirmation makes it paused (it finishes its slice first).
    func pause(_ id: String) throws -> SessionView {
        var record = try sessions.find(id)
        guard record.status == .running, let worker = workers[id] else {
            throw APIError.invalidState("only a running session can be paused; '\(id)' is \(record.status.rawValue)")
        }
        worker.send(.pause)
        record.status = .pausing
        try sessions.save(record)
        return view(record)
    }

    /// paused or pausing -> running.
    func resume(_ id: String) throws -> SessionView {
        var record = try sessions.find(id)
        guard record.status == .paused || record.status == .pausing, let worker = workers[id] else {
            throw APIError.invalidState("only a paused session can be resumed; '\(id)' is \(record.status.rawValue)")
        }
        worker.send(.resume)
        record.status = .running
        try sessions.save(record)
        return view(record)
    }

    /// Stops a session: a queued or idle one at once; one with a worker becomes `stopping`
    /// until the worker has written the results of the bars processed so far (a script busy
    /// inside one call is interrupted).
    func stop(_ id: String) throws -> SessionView {
        var record = try sessions.find(id)
        switch record.status {
        case .idle, .queued:
            queue.remove(id)
            record.status = .stopped
            record.finishedAt = Date().timeIntervalSince1970
            try sessions.save(record)
            live.publishFinal(record)
        case .running, .pausing, .paused:
            workers[id]?.send(.stop)
            record.status = .stopping
            try sessions.save(record)
        case .stopping:
            break
        case .completed, .stopped, .failed:
            throw APIError.invalidState("session '\(id)' has already ended (\(record.status.rawValue))")
        }
        return view(record)
    }

    /// Deletes a session, killing its worker first if it runs, with its artifacts.
    func delete(_ id: String) throws {
        _ = try sessions.find(id)
        queue.remove(id)
        // The worker keeps its slot until it has really exited (see handle), so at most
        // maxWorkers processes ever run.
        workers[id]?.kill(reason: "the session was deleted")
        live.forget(id)
        cache.remove(id)
        for record in sessions.records.values where record.baselineRunId == id { cache.remove(record.id) }   // their views showed it
        try sessions.delete(id)
        try? FileManager.default.removeItem(atPath: configuration.artifactsDirectory + "/" + id)
    }

    // MARK: Queries

    /// Sessions, newest first, filtered.
    func list(status: SessionStatus?, strategy: String?, symbol: String?, limit: Int, offset: Int) -> [SessionView] {
        sessions.list(status: status, strategy: strategy, symbol: symbol, limit: limit, offset: offset).map { view($0, includeRequest: false) }
    }

    /// One session.
    func session(_ id: String) throws -> SessionView { view(try sessions.find(id)) }

    /// The whole record of a session (request and job included).
    func record(_ id: String) throws -> SessionRecord { try sessions.complete(id) }

    /// The latest live message of each of these sessions that has one, for a client subscribing now.
    func latestLiveMessages(_ ids: [String]) -> [(session: String, text: String, final: Bool)] {
        ids.compactMap { id in live.latestMessage(of: id, record: sessions.records[id]).map { (id, $0.text, $0.final) } }
    }

    /// Progress of a session.
    func status(_ id: String) throws -> StatusView {
        let record = try sessions.find(id)
        return StatusView(id: id, status: record.status, progressPercent: SessionView.percent(record),
                          currentCandleIndex: record.currentCandleIndex, totalCandles: record.totalCandles,
                          currentTime: live.currentTime(of: id), elapsedSeconds: workers[id]?.runningSeconds ?? record.runSeconds,
                          timeLimitSeconds: configuration.runTimeLimit)
    }

    /// The engine summary.
    func engine() -> EngineView {
        var byStatus = Dictionary(uniqueKeysWithValues: SessionStatus.allCases.map { ($0.rawValue, 0) })
        for record in sessions.records.values { byStatus[record.status.rawValue, default: 0] += 1 }
        let usage = cache.usage
        return EngineView(version: TradelabVersion.current, uptimeSeconds: Date().timeIntervalSince(startedAt),
                          workers: .init(max: configuration.maxWorkers, busy: workers.count, idle: max(0, configuration.maxWorkers - workers.count)),
                          queueLength: queue.waiting.count, runsByStatus: byStatus, resultCache: .init(entries: usage.entries, bytes: usage.bytes),
                          liveClients: hub.clientCount)
    }

    /// Forgets old sessions that are not running: idle ones are deleted; finished ones leave
    /// memory's live state (their record and artifacts stay, so they are still listed and served).
    /// - Returns: Number of sessions deleted.
    @discardableResult
    func cleanup(now: Date = Date()) -> Int {
        let cutoff = now.timeIntervalSince1970 - configuration.sessionMaxAge
        for (id, worker) in workers where sessions.records[id]?.status == .paused && worker.pausedSeconds > configuration.sessionMaxAge {
            worker.send(.stop)   // a run paused that long is abandoned; it must not hold a worker forever
        }
        var deleted = 0
        for record in sessions.records.values where (record.finishedAt ?? record.createdAt) < cutoff {
            if record.status == .idle {
                do { try sessions.delete(record.id) } catch { logger.error("cannot delete session \(record.id): \(error)") }
                deleted += 1
            }
            if record.status.isFinal || record.status == .idle { live.forget(record.id) }
        }
        return deleted
    }

    /// Kills every worker (server shutdown): their sessions stay `running` in the database and
    /// are marked `interrupted` at the next start.
    func shutdown() {
        for worker in workers.values { worker.kill(reason: "the server shut down") }
        workers.removeAll()
        queue.removeAll()
        pool.shutdown()
    }

    // MARK: Workers

    private func pump() {
        while workers.count < configuration.maxWorkers, let id = queue.next() {
            guard var record = sessions.records[id], record.status == .queued, let assignment = record.job else { continue }
            do {
                let worker = try pool.spawn(assignment, limits: WorkerLimits(seconds: configuration.runTimeLimit + 5,
                                                                             memoryBytes: configuration.workerMemoryLimitMiB << 20))
                workers[id] = worker
                record.status = .running
                record.startedAt = Date().timeIntervalSince1970
                sessions.saveLogged(record)
                Task { [weak self] in
                    for await output in worker.output { await self?.handle(output, from: worker, session: id) }
                }
            } catch {
                fail(&record, code: "worker_start", message: "cannot start a worker: \(error)")
            }
        }
    }

    private func handle(_ output: WorkerOutput, from worker: any WorkerHandle, session id: String) {
        guard workers[id] === worker else { return }
        guard var record = sessions.records[id] else {           // deleted: only its exit matters
            if case .exited = output {
                workers.removeValue(forKey: id)
                pump()
            }
            return
        }
        switch output {
        case .state(let line):
            guard record.status.hasWorker else { return }
            record.currentCandleIndex = line.index
            sessions.keep(record)                        // progress is kept in memory, saved at the end
            live.forward(line, session: id)
        case .event(let event):
            guard !record.status.isFinal else { return }   // nothing overrides an outcome already recorded
            handle(event, record: &record, worker: worker)
        case .exited(let exit):
            workers.removeValue(forKey: id)
            if !record.status.isFinal {
                let message: String
                if let reason = exit.killReason {
                    message = reason
                } else {
                    let how = exit.signaled ? "was killed by signal \(exit.status)" : "exited with status \(exit.status)"
                    let detail = exit.stderrTail.split(separator: "\n").last.map { ": \($0)" } ?? ""
                    message = "the worker process \(how) before finishing\(detail)"
                }
                fail(&record, code: exit.killReason != nil ? "limit_exceeded" : "worker_crashed", message: message, worker: worker)
            }
            pump()
        }
    }

    private func handle(_ event: WorkerEvent, record: inout SessionRecord, worker: any WorkerHandle) {
        let id = record.id
        switch event {
        case .started(let totalCandles, _):
            record.totalCandles = totalCandles
            sessions.saveLogged(record)
        case .state(let state):
            record.currentCandleIndex = state.currentCandleIndex
            sessions.keep(record)
            // The worker's last state (its final figures) is published with the final status, at the finish.
            if state.status == "running" { live.publish(state, session: id) } else { live.keep(state, session: id) }
        case .paused(let state):
            guard record.status == .pausing else { return }   // resumed or stopped meanwhile: a stale pause
            worker.markPaused()
            record.status = .paused
            record.currentCandleIndex = state.currentCandleIndex
            sessions.saveLogged(record)
            live.publish(state, session: id)
        case .resumed, .progress:
            break   // a backtest reports no search progress
        case .finished(let status, let summary):
            record.status = status == .stopped ? .stopped : .completed
            record.summary = summary
            finish(&record, worker: worker)
            warmCache(id)
        case .error(let code, let message):
            if code == "protocol" { worker.kill(reason: message) }
            fail(&record, code: code, message: message, worker: worker)
        }
    }

    private func finish(_ record: inout SessionRecord, worker: (any WorkerHandle)?) {
        record.finishedAt = Date().timeIntervalSince1970
        if let worker { record.runSeconds = worker.runningSeconds }
        if record.status == .completed { record.currentCandleIndex = record.totalCandles }
        sessions.saveLogged(record)
        live.publishFinal(record)
    }

    private func fail(_ record: inout SessionRecord, code: String, message: String, worker: (any WorkerHandle)? = nil) {
        record.status = .failed
        record.errorCode = code
        record.errorMessage = message
        finish(&record, worker: worker)
    }

    private func warmCache(_ id: String) {
        let directory = configuration.artifactsDirectory + "/" + id
        Task.detached(priority: .utility) { [weak self] in
            guard let stored = try? StoredResults(directory: directory) else { return }
            await self?.cache(id, stored)
        }
    }

    /// Caches results unless the session was deleted meanwhile.
    private func cache(_ id: String, _ stored: StoredResults) {
        if sessions.records[id] != nil { cache.put(id, stored) }
    }

    // MARK: Helpers

    private func view(_ record: SessionRecord, includeRequest: Bool = true) -> SessionView {
        let record = includeRequest ? ((try? sessions.complete(record.id)) ?? record) : record
        return SessionView(record, queuePosition: record.status == .queued ? queue.position(of: record.id) : nil, includeRequest: includeRequest)
    }

    /// A new session id: `bt_` + random hex, then the time in base 36 (the random part first,
    /// so short prefixes differ).
    static func newIdentifier() -> String {
        var generator = SystemRandomNumberGenerator()
        let random = String(generator.next() & 0xFFFF_FFFF, radix: 16)
        let stamp = String(Int(Date().timeIntervalSince1970 * 1000), radix: 36)
        return "bt_" + String(repeating: "0", count: 8 - random.count) + random + stamp
    }
}

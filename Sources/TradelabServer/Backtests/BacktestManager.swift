import Foundation
import Logging
import TradelabData

/// Owns every backtest session: creation, the queue of runs waiting for a worker, the worker
/// processes, their events, status changes (persisted to SQLite as they happen), live
/// publication, and cleanup.
///
/// Runs start in submission order, at most `maxWorkers` at once. A worker's events are handled
/// in the order it wrote them; a worker that dies fails only its own session.
actor BacktestManager {
    let configuration: ServerConfiguration
    let store: RunStore
    let cache: ResultCache
    let hub: LiveHub
    let startedAt = Date()
    private let logger = Logger(label: "tradelab.backtests")

    private var records: [String: SessionRecord] = [:]
    /// The latest live state of each session: decoded (pauses, final states) or as the worker
    /// wrote it (intermediate states, forwarded without decoding); only the newer one is kept.
    private var liveStates: [String: LiveState] = [:]
    private var rawStates: [String: WorkerProcess.StateLine] = [:]
    private var queue: [String] = []
    private var workers: [String: WorkerProcess] = [:]
    private var nextSequence = 1

    /// Loads the records; sessions that were queued or running when the server stopped are
    /// marked failed (their workers died with it).
    init(configuration: ServerConfiguration, store: RunStore, cache: ResultCache, hub: LiveHub) throws {
        self.configuration = configuration
        self.store = store
        self.cache = cache
        self.hub = hub
        let now = Date().timeIntervalSince1970
        for var record in try store.all() {
            if [.queued, .running, .paused].contains(record.status) {
                record.errorCode = "interrupted"
                record.errorMessage = "the server stopped while this run was \(record.status.rawValue)"
                record.status = .failed
                record.finishedAt = now
                try store.save(record)
            }
            records[record.id] = record.status.isFinal ? record.trimmed : record
            nextSequence = max(nextSequence, record.sequence + 1)
        }
    }

    // MARK: Commands

    /// Creates a session from a request resolved beforehand (outside the actor: resolving reads
    /// files and compiles the script); with `start`, queues it at once.
    /// - Throws: 404/409 for a bad baseline run, 503 `queue_full` when too many runs wait.
    func create(_ request: BacktestRequest, resolved: JobResolver.Resolved, start: Bool) throws -> SessionView {
        if let other = resolved.baselineRunId { try checkBaseline(other, for: resolved.job) }
        if start, queue.count >= Self.maxQueued {
            throw APIError(.serviceUnavailable, "queue_full", "\(queue.count) runs are already waiting; try again when some have finished")
        }
        let id = resolved.job.id
        let encoder = JSONCoding.encoder()
        let record = SessionRecord(
            id: id, sequence: nextSequence, name: request.name ?? "\(resolved.strategyLabel) on \(resolved.symbol ?? "data")",
            status: start ? .queued : .idle, strategy: resolved.strategyLabel, symbol: resolved.symbol, timeframe: resolved.timeframe,
            createdAt: Date().timeIntervalSince1970, startedAt: nil, finishedAt: nil, totalCandles: 0, currentCandleIndex: 0,
            request: String(decoding: try encoder.encode(request), as: UTF8.self),
            job: String(decoding: try encoder.encode(resolved.job), as: UTF8.self),
            summary: nil, errorCode: nil, errorMessage: nil, runSeconds: 0, baselineRunId: resolved.baselineRunId)
        nextSequence += 1
        try save(record)
        if start {
            queue.append(id)
            pump()
        }
        return view(records[id]!)
    }

    /// Most runs waiting in the queue.
    static let maxQueued = 10_000

    /// A previous run can be a baseline when it finished, was a single run, and used the same data.
    private func checkBaseline(_ other: String, for job: WorkerJob) throws {
        guard let base = records[other] else { throw APIError.notFound("baseline: no run with id '\(other)'") }
        guard base.status == .completed || base.status == .stopped else {
            throw APIError.invalidState("baseline: run '\(other)' has not finished (status \(base.status.rawValue))")
        }
        let baseJob = try JSONCoding.decoder().decode(WorkerJob.self, from: Data(try complete(base).job.utf8))
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
        var record = try find(id)
        guard record.status == .idle else { throw APIError.invalidState("only an idle session can be started; '\(id)' is \(record.status.rawValue)") }
        record.status = .queued
        try save(record)
        queue.append(id)
        pump()
        return view(records[id]!)
    }

    /// running -> paused (the worker stops between two slices of bars).
    func pause(_ id: String) throws -> SessionView {
        var record = try find(id)
        guard record.status == .running, let worker = workers[id] else {
            throw APIError.invalidState("only a running session can be paused; '\(id)' is \(record.status.rawValue)")
        }
        worker.send("pause")
        record.status = .paused
        try save(record)
        return view(record)
    }

    /// paused -> running.
    func resume(_ id: String) throws -> SessionView {
        var record = try find(id)
        guard record.status == .paused, let worker = workers[id] else {
            throw APIError.invalidState("only a paused session can be resumed; '\(id)' is \(record.status.rawValue)")
        }
        worker.send("resume")
        record.status = .running
        try save(record)
        return view(record)
    }

    /// Stops a session: a queued or idle one at once, a running one after its current slice (its
    /// results cover the bars processed so far).
    func stop(_ id: String) throws -> SessionView {
        var record = try find(id)
        switch record.status {
        case .idle, .queued:
            queue.removeAll { $0 == id }
            record.status = .stopped
            record.finishedAt = Date().timeIntervalSince1970
            try save(record)
            publishFinal(record)
        case .running, .paused:
            workers[id]?.send("stop")
        case .completed, .stopped, .failed:
            throw APIError.invalidState("session '\(id)' has already ended (\(record.status.rawValue))")
        }
        return view(records[id]!)
    }

    /// Deletes a session, killing its worker first if it runs, with its artifacts.
    func delete(_ id: String) throws {
        _ = try find(id)
        queue.removeAll { $0 == id }
        // The worker keeps its slot until it has really exited (see handle), so at most
        // maxWorkers processes ever run.
        workers[id]?.kill(reason: "the session was deleted")
        records.removeValue(forKey: id)
        liveStates.removeValue(forKey: id)
        rawStates.removeValue(forKey: id)
        cache.remove(id)
        try store.delete(id: id)
        try? FileManager.default.removeItem(atPath: configuration.artifactsDirectory + "/" + id)
    }

    // MARK: Queries

    /// Sessions, newest first, filtered.
    func list(status: SessionStatus?, strategy: String?, symbol: String?, limit: Int, offset: Int) -> [SessionView] {
        records.values
            .filter { r in
                (status == nil || r.status == status) && (symbol == nil || r.symbol?.caseInsensitiveCompare(symbol!) == .orderedSame)
                    && (strategy == nil || r.strategy.localizedCaseInsensitiveContains(strategy!))
            }
            .sorted { $0.sequence > $1.sequence }
            .dropFirst(offset).prefix(limit)
            .map { view($0, includeRequest: false) }
    }

    /// One session.
    func session(_ id: String) throws -> SessionView { view(try find(id)) }

    /// The whole record of a session (request and job included).
    func record(_ id: String) throws -> SessionRecord { try complete(try find(id)) }

    /// Progress of a session.
    func status(_ id: String) throws -> StatusView {
        let record = try find(id)
        let elapsed: Double
        if let worker = workers[id] { elapsed = worker.runningSeconds } else { elapsed = record.runSeconds }
        return StatusView(id: id, status: record.status, progressPercent: SessionView.percent(record),
                          currentCandleIndex: record.currentCandleIndex, totalCandles: record.totalCandles,
                          currentTime: liveStates[id]?.currentTime ?? rawStates[id]?.time, elapsedSeconds: elapsed)
    }

    /// The engine summary.
    func engine() -> EngineView {
        var byStatus = Dictionary(uniqueKeysWithValues: SessionStatus.allCases.map { ($0.rawValue, 0) })
        for record in records.values { byStatus[record.status.rawValue, default: 0] += 1 }
        let usage = cache.usage
        return EngineView(version: TradelabVersion.current, uptimeSeconds: Date().timeIntervalSince(startedAt),
                          workers: .init(max: configuration.maxWorkers, busy: workers.count, idle: max(0, configuration.maxWorkers - workers.count)),
                          queueLength: queue.count, runsByStatus: byStatus, resultCache: .init(entries: usage.entries, bytes: usage.bytes),
                          liveClients: hub.clientCount)
    }

    /// Forgets old sessions that are not running: idle ones are deleted; finished ones leave
    /// memory's live state (their record and artifacts stay, so they are still listed and served).
    /// - Returns: Number of sessions deleted.
    @discardableResult
    func cleanup(now: Date = Date()) -> Int {
        let cutoff = now.timeIntervalSince1970 - configuration.sessionMaxAge
        for (id, worker) in workers where records[id]?.status == .paused && worker.pausedSeconds > configuration.sessionMaxAge {
            worker.send("stop")   // a run paused that long is abandoned; it must not hold a worker forever
        }
        var deleted = 0
        for record in records.values where (record.finishedAt ?? record.createdAt) < cutoff {
            if record.status == .idle {
                records.removeValue(forKey: record.id)
                do { try store.delete(id: record.id) } catch { logger.error("cannot delete session \(record.id): \(error)") }
                deleted += 1
            }
            if record.status.isFinal || record.status == .idle {
                liveStates.removeValue(forKey: record.id)
                rawStates.removeValue(forKey: record.id)
            }
        }
        return deleted
    }

    // MARK: Workers

    private func pump() {
        while workers.count < configuration.maxWorkers, !queue.isEmpty {
            let id = queue.removeFirst()
            guard var record = records[id], record.status == .queued else { continue }
            do {
                let job = try JSONCoding.decoder().decode(WorkerJob.self, from: Data(record.job.utf8))
                let worker = try WorkerProcess(executable: configuration.workerExecutable, job: job,
                                               limits: .init(seconds: configuration.runTimeLimit + 5,
                                                             memoryBytes: configuration.workerMemoryLimitMiB << 20))
                workers[id] = worker
                record.status = .running
                record.startedAt = Date().timeIntervalSince1970
                saveLogged(record)
                Task { [weak self] in
                    for await output in worker.output { await self?.handle(output, from: worker, session: id) }
                }
            } catch {
                fail(&record, code: "worker_start", message: "cannot start a worker: \(error)")
            }
        }
    }

    private func handle(_ output: WorkerProcess.Output, from worker: WorkerProcess, session id: String) {
        guard workers[id] === worker else { return }
        guard var record = records[id] else {           // deleted: only its exit matters
            if case .exited = output {
                workers.removeValue(forKey: id)
                pump()
            }
            return
        }
        switch output {
        case .state(let line):
            guard record.status == .running else { return }
            rawStates[id] = line
            liveStates.removeValue(forKey: id)
            record.currentCandleIndex = line.index
            records[id] = record                         // progress is kept in memory, saved at the end
            if hub.clientCount > 0 {
                var message = Data(#"{"sessionId":""#.utf8)    // ids are ours: letters, digits and "_"
                message.append(contentsOf: id.utf8)
                message.append(contentsOf: #"","state":"#.utf8)
                message.append(line.json)
                message.append(contentsOf: #","type":"backtest_state_update"}"#.utf8)
                hub.publish(session: id, text: String(decoding: message, as: UTF8.self), final: false)
            }
        case .event(let event):
            guard !record.status.isFinal else { return }   // nothing overrides an outcome already recorded
            switch event.type {
            case .started:
                record.totalCandles = event.totalCandles ?? 0
                saveLogged(record)
            case .state, .paused:
                guard let state = event.state else { return }
                if event.type == .paused {
                    guard record.status == .paused else { return }   // resumed meanwhile: a stale pause
                    worker.markPaused()
                }
                liveStates[id] = state
                rawStates.removeValue(forKey: id)
                record.currentCandleIndex = state.currentCandleIndex
                records[id] = record                     // progress is kept in memory, saved at the end
                if state.status == "running" || event.type == .paused { publish(id, state, final: false) }
            case .resumed:
                break
            case .finished:
                record.status = event.status == "stopped" ? .stopped : .completed
                record.summary = event.summary.map(Self.recordSummary)
                finish(&record, worker: worker)
                warmCache(id)
            case .error:
                if event.code == "protocol" { worker.kill(reason: event.message ?? "unreadable worker output") }
                fail(&record, code: event.code ?? "worker_error", message: event.message ?? "the worker failed", worker: worker)
            }
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

    private func finish(_ record: inout SessionRecord, worker: WorkerProcess?) {
        record.finishedAt = Date().timeIntervalSince1970
        if let worker { record.runSeconds = worker.runningSeconds }
        if record.status == .completed { record.currentCandleIndex = record.totalCandles }
        saveLogged(record)
        publishFinal(record)
        records[record.id] = record.trimmed   // the database keeps the request and the job
    }

    private func fail(_ record: inout SessionRecord, code: String, message: String, worker: WorkerProcess? = nil) {
        record.status = .failed
        record.errorCode = code
        record.errorMessage = message
        finish(&record, worker: worker)
    }

    private func warmCache(_ id: String) {
        let path = configuration.artifactsDirectory + "/" + id + "/results.json"
        Task.detached(priority: .utility) { [weak self] in
            guard let loaded = try? ResultsLoader.load(path: path) else { return }
            await self?.cache(id, loaded)
        }
    }

    /// Caches results unless the session was deleted meanwhile.
    private func cache(_ id: String, _ loaded: ResultsLoader.Loaded) {
        if records[id] != nil { cache.put(id, loaded.results, bytes: loaded.bytes) }
    }

    /// The summary kept in the record: without the randomized runs table, which can be large
    /// (it stays in `summary.json` and the results).
    static func recordSummary(_ summary: JSONValue) -> String {
        var kept = summary
        if case .object(var members) = summary {
            members.removeValue(forKey: "runTable")
            kept = .object(members)
        }
        return (try? JSONCoding.encoder().encode(kept)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    // MARK: Live messages

    private func publish(_ id: String, _ state: LiveState, final: Bool) {
        guard hub.clientCount > 0 else { return }
        let message = LiveMessage(type: "backtest_state_update", sessionId: id, state: state, error: nil)
        guard let data = try? JSONCoding.encoder().encode(message) else { return }
        hub.publish(session: id, text: String(decoding: data, as: UTF8.self), final: final)
    }

    private func publishFinal(_ record: SessionRecord) {
        let forwarded = rawStates.removeValue(forKey: record.id).flatMap { try? JSONCoding.decoder().decode(LiveState.self, from: $0.json) }
        var state = liveStates[record.id] ?? forwarded ?? LiveState(
            status: record.status.rawValue, currentTime: nil, currentCandleIndex: record.currentCandleIndex, totalCandles: record.totalCandles,
            progressPercent: 0, currentCapital: 0, peakCapital: 0, drawdown: 0, openTrades: 0, recentSignals: [], recentTrades: [],
            metrics: .init(totalTrades: 0, winningTrades: 0, losingTrades: 0, winRate: 0, totalPnl: 0, equityCurve: []), run: 0, runs: 0)
        state.status = record.status.rawValue
        state.progressPercent = SessionView.percent(record)
        liveStates[record.id] = state
        guard hub.clientCount > 0 else { return }
        let message = LiveMessage(type: "backtest_state_update", sessionId: record.id, state: state,
                                  error: record.errorCode.map { .init(code: $0, message: record.errorMessage ?? "") })
        guard let data = try? JSONCoding.encoder().encode(message) else { return }
        hub.publish(session: record.id, text: String(decoding: data, as: UTF8.self), final: true)
    }

    /// Kills every worker (server shutdown): their sessions stay `running` in the database and
    /// are marked `interrupted` at the next start.
    func shutdown() {
        for worker in workers.values { worker.kill(reason: "the server shut down") }
        workers.removeAll()
        queue.removeAll()
    }

    // MARK: Helpers

    private func find(_ id: String) throws(APIError) -> SessionRecord {
        guard let record = records[id] else { throw APIError.notFound("no backtest session with id '\(id)'") }
        return record
    }

    private func save(_ record: SessionRecord) throws {
        records[record.id] = record
        // A trimmed copy would blank the stored request and job; finished sessions never change.
        guard !record.isTrimmed else { return logger.error("session \(record.id) changed after it ended; not saved") }
        try store.save(record)
    }

    /// Saves where no caller can handle a failure: the record stays right in memory and the
    /// failure is logged (the database then lags until the next status change).
    private func saveLogged(_ record: SessionRecord) {
        do { try save(record) } catch { logger.error("cannot save session \(record.id) (\(record.status.rawValue)): \(error)") }
    }

    /// A record with its request and job, read back from the database when trimmed.
    private func complete(_ record: SessionRecord) throws -> SessionRecord {
        guard record.isTrimmed else { return record }
        guard let full = try store.fetch(id: record.id) else { throw APIError.notFound("no backtest session with id '\(record.id)'") }
        return full
    }

    private func view(_ record: SessionRecord, includeRequest: Bool = true) -> SessionView {
        let record = includeRequest ? ((try? complete(record)) ?? record) : record
        return SessionView(record, queuePosition: record.status == .queued ? queue.firstIndex(of: record.id).map { $0 + 1 } : nil,
                    includeRequest: includeRequest)
    }

    /// A new session id: `bt_` + time in base 36 + random hex.
    static func newIdentifier() -> String {
        var generator = SystemRandomNumberGenerator()
        let stamp = String(Int(Date().timeIntervalSince1970 * 1000), radix: 36)
        return "bt_" + stamp + String(generator.next() & 0xFFFF_FFFF, radix: 16)
    }
}

/// A `backtest_state_update` WebSocket message.
struct LiveMessage: Sendable, Encodable {
    var type: String
    var sessionId: String
    var state: LiveState
    var error: SessionView.Failure?
}

/// Reads `results.json`.
enum ResultsLoader {
    /// Decoded results and the file's size (the cache accounts by it).
    struct Loaded: Sendable {
        var results: RunResults
        var bytes: Int
    }

    static func load(path: String) throws -> Loaded {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return Loaded(results: try JSONCoding.decoder().decode(RunResults.self, from: data), bytes: data.count)
    }
}

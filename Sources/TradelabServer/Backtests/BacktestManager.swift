import Foundation
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
    let resolver: JobResolver
    let startedAt = Date()

    private var records: [String: SessionRecord] = [:]
    private var liveStates: [String: LiveState] = [:]
    private var queue: [String] = []
    private var workers: [String: WorkerProcess] = [:]
    private var nextSequence = 1

    /// Loads the records; sessions that were queued or running when the server stopped are
    /// marked failed (their workers died with it).
    init(configuration: ServerConfiguration, store: RunStore, cache: ResultCache, hub: LiveHub, library: StrategyLibrary) throws {
        self.configuration = configuration
        self.store = store
        self.cache = cache
        self.hub = hub
        resolver = JobResolver(configuration: configuration, library: library)
        let now = Date().timeIntervalSince1970
        for var record in try store.all() {
            if [.queued, .running, .paused].contains(record.status) {
                record.errorCode = "interrupted"
                record.errorMessage = "the server stopped while this run was \(record.status.rawValue)"
                record.status = .failed
                record.finishedAt = now
                try store.save(record)
            }
            records[record.id] = record
            nextSequence = max(nextSequence, record.sequence + 1)
        }
    }

    // MARK: Commands

    /// Creates a session; with `start`, queues it at once.
    func create(_ request: BacktestRequest, start: Bool) throws -> SessionView {
        let id = Self.newIdentifier()
        let resolved = try resolver.resolve(request, id: id)
        if let other = resolved.baselineRunId {
            guard let base = records[other] else { throw APIError.notFound("baseline: no run with id '\(other)'") }
            guard base.status == .completed || base.status == .stopped else {
                throw APIError.invalidState("baseline: run '\(other)' has not finished (status \(base.status.rawValue))")
            }
        }
        let encoder = JSONCoding.encoder()
        let record = SessionRecord(
            id: id, sequence: nextSequence, name: request.name ?? "\(resolved.strategyLabel) on \(resolved.symbol ?? "data")",
            status: start ? .queued : .idle, strategy: resolved.strategyLabel, symbol: resolved.symbol, timeframe: resolved.timeframe,
            createdAt: Date().timeIntervalSince1970, startedAt: nil, finishedAt: nil, totalCandles: 0, currentCandleIndex: 0,
            request: String(decoding: try encoder.encode(request), as: UTF8.self),
            job: String(decoding: try encoder.encode(resolved.job), as: UTF8.self),
            summary: nil, errorCode: nil, errorMessage: nil, runSeconds: 0)
        nextSequence += 1
        try save(record)
        if start {
            queue.append(id)
            pump()
        }
        return view(records[id]!)
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
        if let worker = workers.removeValue(forKey: id) { worker.kill(reason: "the session was deleted") }
        records.removeValue(forKey: id)
        liveStates.removeValue(forKey: id)
        cache.remove(id)
        try store.delete(id: id)
        try? FileManager.default.removeItem(atPath: configuration.artifactsDirectory + "/" + id)
        pump()
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
            .map(view)
    }

    /// One session.
    func session(_ id: String) throws -> SessionView { view(try find(id)) }

    /// The record of a session.
    func record(_ id: String) throws -> SessionRecord { try find(id) }

    /// Progress of a session.
    func status(_ id: String) throws -> StatusView {
        let record = try find(id)
        let elapsed: Double
        if let worker = workers[id] { elapsed = worker.runningSeconds } else { elapsed = record.runSeconds }
        return StatusView(id: id, status: record.status, progressPercent: SessionView.percent(record),
                          currentCandleIndex: record.currentCandleIndex, totalCandles: record.totalCandles,
                          currentTime: liveStates[id]?.currentTime, elapsedSeconds: elapsed)
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
        var deleted = 0
        for record in records.values where (record.finishedAt ?? record.createdAt) < cutoff {
            if record.status == .idle {
                records.removeValue(forKey: record.id)
                try? store.delete(id: record.id)
                deleted += 1
            }
            if record.status.isFinal || record.status == .idle { liveStates.removeValue(forKey: record.id) }
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
                try? save(record)
                Task { [weak self] in
                    for await output in worker.output { await self?.handle(output, from: worker, session: id) }
                }
            } catch {
                fail(&record, code: "worker_start", message: "cannot start a worker: \(error)")
            }
        }
    }

    private func handle(_ output: WorkerProcess.Output, from worker: WorkerProcess, session id: String) {
        guard workers[id] === worker, var record = records[id] else {
            if case .exited = output { pump() }   // a deleted session's worker ended
            return
        }
        switch output {
        case .event(let event):
            guard !record.status.isFinal else { return }   // nothing overrides an outcome already recorded
            switch event.type {
            case .started:
                record.totalCandles = event.totalCandles ?? 0
                try? save(record)
            case .state, .paused:
                guard let state = event.state else { return }
                liveStates[id] = state
                record.currentCandleIndex = state.currentCandleIndex
                records[id] = record                     // progress is kept in memory, saved at the end
                if state.status == "running" || event.type == .paused { publish(id, state, final: false) }
            case .resumed:
                break
            case .finished:
                record.status = event.status == "stopped" ? .stopped : .completed
                record.summary = event.summary.flatMap { try? JSONCoding.encoder().encode($0) }.map { String(decoding: $0, as: UTF8.self) }
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
        try? save(record)
        publishFinal(record)
    }

    private func fail(_ record: inout SessionRecord, code: String, message: String, worker: WorkerProcess? = nil) {
        record.status = .failed
        record.errorCode = code
        record.errorMessage = message
        finish(&record, worker: worker)
    }

    private func warmCache(_ id: String) {
        let path = configuration.artifactsDirectory + "/" + id + "/results.json"
        let cache = self.cache
        Task.detached(priority: .utility) {
            if let results = try? ResultsLoader.load(path: path) { cache.put(id, results) }
        }
    }

    // MARK: Live messages

    private func publish(_ id: String, _ state: LiveState, final: Bool) {
        let message = LiveMessage(type: "backtest_state_update", sessionId: id, state: state, error: nil)
        guard let data = try? JSONCoding.encoder().encode(message) else { return }
        hub.publish(session: id, text: String(decoding: data, as: UTF8.self), final: final)
    }

    private func publishFinal(_ record: SessionRecord) {
        var state = liveStates[record.id] ?? LiveState(
            status: record.status.rawValue, currentTime: nil, currentCandleIndex: record.currentCandleIndex, totalCandles: record.totalCandles,
            progressPercent: 0, currentCapital: 0, peakCapital: 0, drawdown: 0, openTrades: 0, recentSignals: [], recentTrades: [],
            metrics: .init(totalTrades: 0, winningTrades: 0, losingTrades: 0, winRate: 0, totalPnl: 0, equityCurve: []), run: 0, runs: 0)
        state.status = record.status.rawValue
        state.progressPercent = SessionView.percent(record)
        liveStates[record.id] = state
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
        try store.save(record)
    }

    private func view(_ record: SessionRecord) -> SessionView {
        SessionView(record, queuePosition: record.status == .queued ? queue.firstIndex(of: record.id).map { $0 + 1 } : nil)
    }

    private static func newIdentifier() -> String {
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
    static func load(path: String) throws -> RunResults {
        try JSONCoding.decoder().decode(RunResults.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}

import Foundation
import Logging
import TradelabRun

/// Runs optimizations in `tradelab worker` processes: queued in submission order, at most
/// `maxOptimizations` at once (each searches on every core), their progress published on the
/// ``LiveHub`` as `optimization_update`, every status change written to SQLite, the results in
/// the artifacts folder. An optimization that had a worker when the server stopped is failed as
/// `interrupted` at the next start.
actor OptimizationManager {
    let configuration: ServerConfiguration
    let store: RunStore
    let hub: LiveHub
    let pool: any WorkerPool
    private let logger = Logger(label: "tradelab.optimizations")

    private var records: [String: OptimizationRecord] = [:]
    private var nextSequence = 1
    private var queue = RunQueue()
    private var workers: [String: any WorkerHandle] = [:]

    /// Loads the optimizations.
    init(configuration: ServerConfiguration, store: RunStore, hub: LiveHub, pool: any WorkerPool) throws {
        self.configuration = configuration
        self.store = store
        self.hub = hub
        self.pool = pool
        let now = Date().timeIntervalSince1970
        for var record in try store.all(OptimizationRecord.self) {
            if !record.status.isFinal {
                record.errorCode = "interrupted"
                record.errorMessage = "the server stopped while this optimization was \(record.status.rawValue)"
                record.status = .failed
                record.finishedAt = now
                try store.save(record)
            }
            records[record.id] = record
            nextSequence = max(nextSequence, record.sequence + 1)
        }
    }

    // MARK: Commands

    /// Creates and queues an optimization resolved beforehand.
    /// - Throws: 503 `queue_full` when too many wait.
    func create(_ request: OptimizeRequest, resolved: JobResolver.Resolved) throws -> OptimizationView {
        guard !queue.isFull else {
            throw APIError(.serviceUnavailable, "queue_full", "\(queue.waiting.count) optimizations are already waiting; try again when some have finished")
        }
        guard case .optimization(let job) = resolved.assignment.work else { preconditionFailure("an optimization assignment") }
        let id = resolved.assignment.id
        let record = OptimizationRecord(
            id: id, sequence: nextSequence, name: request.name ?? "\(resolved.strategyLabel) on \(resolved.symbol ?? "data")",
            status: .queued, strategy: resolved.strategyLabel, symbol: resolved.symbol, timeframe: resolved.timeframe,
            method: job.method.name, objective: job.objective.rawValue, createdAt: Date().timeIntervalSince1970,
            progress: nil, request: request, job: resolved.assignment, runSeconds: 0)
        nextSequence += 1
        try save(record)
        queue.append(id)
        pump()
        return view(record)
    }

    /// Stops an optimization: a queued one at once; a running one becomes `stopping` until its
    /// worker has written the trials done so far.
    func stop(_ id: String) throws -> OptimizationView {
        var record = try find(id)
        switch record.status {
        case .queued:
            queue.remove(id)
            record.status = .stopped
            record.finishedAt = Date().timeIntervalSince1970
            try save(record)
            publish(record, final: true)
        case .running:
            workers[id]?.send(.stop)
            record.status = .stopping
            try save(record)
        case .stopping:
            break
        case .completed, .stopped, .failed:
            throw APIError.invalidState("optimization '\(id)' has already ended (\(record.status.rawValue))")
        }
        return view(record)
    }

    /// Deletes an optimization, killing its worker first if it runs, with its files.
    func delete(_ id: String) throws {
        _ = try find(id)
        queue.remove(id)
        workers[id]?.kill(reason: "the optimization was deleted")   // it keeps its slot until it has exited
        records.removeValue(forKey: id)
        try store.delete(OptimizationRecord.self, id: id)
        try? FileManager.default.removeItem(atPath: directory(of: id))
    }

    // MARK: Queries

    /// Optimizations, newest first, filtered.
    func list(status: OptimizationStatus?, strategy: String?, symbol: String?, limit: Int, offset: Int) -> [OptimizationView] {
        records.values
            .filter { r in
                (status == nil || r.status == status) && (symbol == nil || r.symbol?.caseInsensitiveCompare(symbol!) == .orderedSame)
                    && (strategy == nil || r.strategy.localizedCaseInsensitiveContains(strategy!))
            }
            .sorted { $0.sequence > $1.sequence }
            .dropFirst(offset).prefix(limit)
            .map { view($0, includeRequest: false) }
    }

    /// One optimization.
    func optimization(_ id: String) throws -> OptimizationView { view(try find(id)) }

    /// The whole results of a finished or stopped optimization (`results.json`).
    /// - Throws: 404, or 409 while it runs or when it failed.
    func resultsFile(_ id: String) throws -> String {
        let record = try find(id)
        guard record.status == .completed || record.status == .stopped else {
            if record.status == .failed {
                throw APIError.invalidState("optimization '\(id)' failed, so it has no results: \(record.errorMessage ?? "")")
            }
            throw APIError.invalidState("results are available once the optimization has finished; '\(id)' is \(record.status.rawValue)")
        }
        return directory(of: id) + "/" + OptimizationArtifacts.resultsFile
    }

    /// The model a backtest compares itself with when its baseline names this optimization: the
    /// strategy with the best trial's parameters (over the fixed ones).
    /// - Throws: 404 for an unknown id; 409 while it runs or when it failed or has no best trial;
    ///   400 when it searched other data than `job` runs on.
    func baseline(_ id: String, for job: RunJob) throws -> BaselineReference {
        let record = try find(id)
        guard record.status == .completed || record.status == .stopped else {
            throw APIError.invalidState("baseline: optimization '\(id)' has not finished (status \(record.status.rawValue))")
        }
        guard case .optimization(let search) = record.job.work, let best = record.progress?.best else {
            throw APIError.invalidState("baseline: optimization '\(id)' has no best trial (every trial failed or missed the filter)")
        }
        guard search.base.data == job.data else {
            let d = search.base.data
            throw APIError.badRequest("baseline: optimization '\(id)' searched other data (\(d.sourceName) \(d.timeframe ?? ""), "
                                      + "\(d.from ?? "start")..\(d.to ?? "end")); compare on the same data", code: "invalid_value")
        }
        return .optimization(id: id, strategy: search.base.strategy, parameters: search.base.parameters.merging(best.params) { $1 })
    }

    /// The latest message of each of these optimizations, for a client subscribing now.
    func latestLiveMessages(_ ids: [String]) -> [(id: String, text: String, final: Bool)] {
        ids.compactMap { id in
            records[id].flatMap { r in (try? CompactJSONEncoder.string(OptimizationMessage(r))).map { (id, $0, r.status.isFinal) } }
        }
    }

    /// Kills every worker (server shutdown); their optimizations are failed as interrupted at the next start.
    func shutdown() {
        for worker in workers.values { worker.kill(reason: "the server shut down") }
        workers.removeAll()
        queue.removeAll()
    }

    // MARK: Workers

    private func pump() {
        while workers.count < configuration.maxOptimizations, let id = queue.next() {
            guard var record = records[id], record.status == .queued else { continue }
            do {
                let worker = try pool.spawn(record.job, limits: WorkerLimits(seconds: configuration.optimizationTimeLimit,
                                                                             memoryBytes: configuration.workerMemoryLimitMiB << 20))
                workers[id] = worker
                record.status = .running
                record.startedAt = Date().timeIntervalSince1970
                saveLogged(record)
                publish(record, final: false)
                Task { [weak self] in
                    for await output in worker.output { await self?.handle(output, from: worker, id: id) }
                }
            } catch {
                fail(&record, code: "worker_start", message: "cannot start a worker: \(error)", worker: nil)
            }
        }
    }

    private func handle(_ output: WorkerOutput, from worker: any WorkerHandle, id: String) {
        guard workers[id] === worker else { return }
        guard var record = records[id] else {          // deleted: only its exit matters
            if case .exited = output {
                workers.removeValue(forKey: id)
                pump()
            }
            return
        }
        switch output {
        case .state:
            break                                       // optimizations report progress events only
        case .event(let event):
            guard !record.status.isFinal else { return }
            switch event {
            case .progress(let progress):
                record.progress = progress
                records[id] = record                    // kept in memory, saved at the next status change
                publish(record, final: false)
            case .finished(let status, _):
                record.status = status == .stopped ? .stopped : .completed
                finish(&record, worker: worker)
            case .error(let code, let message):
                if code == "protocol" { worker.kill(reason: message) }
                fail(&record, code: code, message: message, worker: worker)
            case .started, .state, .paused, .resumed:
                break
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

    private func finish(_ record: inout OptimizationRecord, worker: (any WorkerHandle)?) {
        record.finishedAt = Date().timeIntervalSince1970
        if let worker { record.runSeconds = worker.runningSeconds }
        saveLogged(record)
        publish(record, final: true)
    }

    private func fail(_ record: inout OptimizationRecord, code: String, message: String, worker: (any WorkerHandle)?) {
        record.status = .failed
        record.errorCode = code
        record.errorMessage = message
        finish(&record, worker: worker)
    }

    // MARK: Helpers

    private func find(_ id: String) throws(APIError) -> OptimizationRecord {
        guard let record = records[id] else { throw APIError.notFound("no optimization with id '\(id)'") }
        return record
    }

    private func save(_ record: OptimizationRecord) throws {
        records[record.id] = record
        try store.save(record)
    }

    private func saveLogged(_ record: OptimizationRecord) {
        do { try save(record) } catch { logger.error("cannot save optimization \(record.id) (\(record.status.rawValue)): \(error)") }
    }

    private func publish(_ record: OptimizationRecord, final: Bool) {
        guard hub.clientCount > 0, let text = try? CompactJSONEncoder.string(OptimizationMessage(record)) else { return }
        hub.publish(session: record.id, text: text, final: final)
    }

    private func directory(of id: String) -> String { configuration.artifactsDirectory + "/" + id }

    private func view(_ record: OptimizationRecord, includeRequest: Bool = true) -> OptimizationView {
        OptimizationView(record, queuePosition: record.status == .queued ? queue.position(of: record.id) : nil, includeRequest: includeRequest)
    }

    /// A new optimization id: `op_` + random hex, then the time in base 36.
    static func newIdentifier() -> String { "op_" + BacktestManager.newIdentifier().dropFirst(3) }
}

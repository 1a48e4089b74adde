import Foundation
import TradelabData

/// The server's parts, built once and shared by the routes and the background services.
public struct ServerServices: Sendable {
    /// The configuration.
    public let configuration: ServerConfiguration
    let store: RunStore
    let cache: ResultCache
    let hub: LiveHub
    let library: StrategyLibrary
    let resolver: JobResolver
    let manager: BacktestManager

    /// Opens the database and loads the sessions.
    /// - Throws: when the state folder or the database cannot be opened.
    public init(configuration: ServerConfiguration) throws {
        self.configuration = configuration
        try FileManager.default.createDirectory(atPath: configuration.artifactsDirectory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: configuration.strategiesDirectory, withIntermediateDirectories: true)
        store = try RunStore(path: configuration.databasePath)
        cache = ResultCache(maxEntries: configuration.cacheEntries, maxBytes: configuration.cacheBytes)
        hub = LiveHub()
        library = StrategyLibrary(root: configuration.strategiesDirectory)
        resolver = JobResolver(configuration: configuration, library: library)
        manager = try BacktestManager(configuration: configuration, store: store, cache: cache, hub: hub)
    }

    /// The results of a finished or stopped run: from the cache, else from `results.json` (then
    /// cached), with a previous run attached when the request named one as baseline.
    /// - Throws: 404 for an unknown id, 409 while the run has not finished or when it failed.
    func results(_ id: String) async throws -> RunResults {
        let record = try await manager.record(id)
        guard record.status == .completed || record.status == .stopped else {
            if record.status == .failed {
                throw APIError.invalidState("run '\(id)' failed, so it has no results: \(record.errorMessage ?? "")")
            }
            throw APIError.invalidState("results are available once the run has finished; '\(id)' is \(record.status.rawValue)")
        }
        var results = try loadResults(id)
        if let other = record.baselineRunId {
            guard let base = try? loadResults(other) else {
                throw APIError.notFound("the baseline run '\(other)' of '\(id)' was deleted")
            }
            results.baseline = .init(name: "\(base.strategy) (\(other))", totalReturn: base.runs.first?.totalReturn ?? 0,
                                     equity: base.equity, runs: [])
        }
        return results
    }

    /// Resolves and creates a session (see ``BacktestManager/create(_:resolved:start:)``).
    func createSession(_ request: BacktestRequest, start: Bool) async throws -> SessionView {
        let resolved = try resolver.resolve(request, id: BacktestManager.newIdentifier())
        return try await manager.create(request, resolved: resolved, start: start)
    }

    /// The encoded `/results` body thinned to `maxPoints` (0: whole curves), cached with the results.
    func resultsBody(_ id: String, maxPoints: Int) async throws -> Data {
        if let body = cache.body(id, view: maxPoints) { return body }
        let results = try await results(id)
        let body = try JSONCoding.encoder().encode(results.downsampled(to: maxPoints == 0 ? nil : maxPoints))
        cache.storeBody(id, view: maxPoints, body)
        return body
    }

    private func loadResults(_ id: String) throws -> RunResults {
        if let cached = cache.get(id) { return cached }
        let path = configuration.artifactsDirectory + "/" + id + "/results.json"
        guard FileManager.default.fileExists(atPath: path) else {
            throw APIError.notFound("run '\(id)' has no results (it stopped before its first bar)")
        }
        let loaded = try ResultsLoader.load(path: path)
        cache.put(id, loaded.results, bytes: loaded.bytes)
        return loaded.results
    }

    /// The bars a run used.
    func candles(_ id: String, maxPoints: Int?) async throws -> Candles {
        let record = try await manager.record(id)
        let job = try JSONCoding.decoder().decode(WorkerJob.self, from: Data(record.job.utf8))
        let loaded = try job.data.load()
        return Candles(loaded.bars, symbol: record.symbol ?? job.data.sourceName, timeframe: loaded.timeframe?.rawValue, maxPoints: maxPoints)
    }
}

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
    let catalog: CatalogCache
    let resolver: JobResolver
    let manager: BacktestManager
    let optimizations: OptimizationManager
    let results: ResultsService

    /// Opens the database and loads the sessions.
    /// - Throws: when the state folder or the database cannot be opened.
    public init(configuration: ServerConfiguration) throws {
        try self.init(configuration: configuration,
                      pool: ProcessWorkerPool(executable: configuration.workerExecutable, arguments: configuration.workerArguments, spares: configuration.spareWorkers ?? configuration.maxWorkers))
    }

    /// The parts with another worker pool (tests run workers in-process).
    init(configuration: ServerConfiguration, pool: any WorkerPool) throws {
        self.configuration = configuration
        try FileManager.default.createDirectory(atPath: configuration.artifactsDirectory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: configuration.strategiesDirectory, withIntermediateDirectories: true)
        store = try RunStore(path: configuration.databasePath)
        cache = ResultCache(maxEntries: configuration.cacheEntries, maxBytes: configuration.cacheBytes)
        hub = LiveHub()
        library = StrategyLibrary(root: configuration.strategiesDirectory)
        catalog = CatalogCache(directory: configuration.dataDirectory)
        resolver = JobResolver(configuration: configuration, library: library, catalog: catalog)
        manager = try BacktestManager(configuration: configuration, store: store, cache: cache, hub: hub, pool: pool)
        optimizations = try OptimizationManager(configuration: configuration, store: store, hub: hub, pool: pool)
        results = ResultsService(configuration: configuration, manager: manager, cache: cache)
        (pool as? ProcessWorkerPool)?.refill()
        Task.detached(priority: .utility) { [catalog] in _ = try? catalog.current() }   // index a fresh data folder before the first request
    }

    /// Resolves and creates a session (see ``BacktestManager/create(_:resolved:start:)``).
    func createSession(_ request: BacktestRequest, start: Bool) async throws -> SessionView {
        var resolved = try resolver.resolve(request, id: BacktestManager.newIdentifier())
        if let id = resolved.baselineOptimizationId {
            var job = resolved.assignment.job
            job.baseline = try await optimizations.baseline(id, for: job)
            resolved.assignment.work = .backtest(job)
        }
        return try await manager.create(request, resolved: resolved, start: start)
    }

    /// Resolves and queues an optimization (see ``OptimizationManager/create(_:resolved:)``).
    func createOptimization(_ request: OptimizeRequest) async throws -> OptimizationView {
        let resolved = try resolver.resolve(request, id: OptimizationManager.newIdentifier())
        return try await optimizations.create(request, resolved: resolved)
    }
}

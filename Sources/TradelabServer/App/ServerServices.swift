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
    let results: ResultsService

    /// Opens the database and loads the sessions.
    /// - Throws: when the state folder or the database cannot be opened.
    public init(configuration: ServerConfiguration) throws {
        try self.init(configuration: configuration,
                      pool: ProcessWorkerPool(executable: configuration.workerExecutable, spares: configuration.spareWorkers ?? configuration.maxWorkers))
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
        resolver = JobResolver(configuration: configuration, library: library)
        manager = try BacktestManager(configuration: configuration, store: store, cache: cache, hub: hub, pool: pool)
        results = ResultsService(configuration: configuration, manager: manager, cache: cache)
        (pool as? ProcessWorkerPool)?.refill()
    }

    /// Resolves and creates a session (see ``BacktestManager/create(_:resolved:start:)``).
    func createSession(_ request: BacktestRequest, start: Bool) async throws -> SessionView {
        let resolved = try resolver.resolve(request, id: BacktestManager.newIdentifier())
        return try await manager.create(request, resolved: resolved, start: start)
    }
}

import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#endif

/// Builds the router: every API route, the WebSocket, the web IDE's static files, and the
/// middleware (security headers, JSON errors, token, strategy-name paths).
/// - Parameter services: The server's parts.
/// - Returns: The router; `Router.routes` lists what it serves (a test compares it with the
///   OpenAPI document).
public func buildRouter(services: ServerServices) -> Router<BasicWebSocketRequestContext> {
    let router = Router(context: BasicWebSocketRequestContext.self)
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: APIErrorMiddleware())
    router.add(middleware: SameOriginMiddleware(loopbackOnly: services.configuration.isLoopback))
    if let token = services.configuration.token, !token.isEmpty { router.add(middleware: TokenMiddleware(token: token)) }
    if let web = services.configuration.webDirectory, FileManager.default.fileExists(atPath: web) {
        router.add(middleware: FileMiddleware(web, searchForIndexHtml: true))
    }
    ReferenceRoutes.register(on: router, services: services)
    StrategyRoutes.register(on: router, services: services)
    BacktestRoutes.register(on: router, services: services)
    OptimizeRoutes.register(on: router, services: services)
    LiveRoutes.register(on: router, services: services)
    return router
}

/// Builds the whole application: the HTTP server with WebSocket upgrade on `/ws`, and the
/// session cleanup as a service, shut down gracefully on SIGINT/SIGTERM.
/// - Parameters:
///   - configuration: What to serve and how.
///   - logger: Where the server logs.
/// - Returns: The application and its services (for tests that want them).
/// - Throws: ``ConfigurationError`` for unsafe settings, or when the state cannot be opened.
public func buildApplication(configuration: ServerConfiguration, logger: Logger = Logger(label: "tradelab"))
    throws -> (application: some ApplicationProtocol, services: ServerServices) {
    try configuration.validate()
    return try buildApplication(services: ServerServices(configuration: configuration), logger: logger)
}

/// Builds the application over parts made beforehand (tests inject an in-process worker pool).
func buildApplication(services: ServerServices, logger: Logger = Logger(label: "tradelab"))
    throws -> (application: some ApplicationProtocol, services: ServerServices) {
    let configuration = services.configuration
    signal(SIGPIPE, SIG_IGN)   // a worker that died must not take the server down when we write to its pipe
    let router = buildRouter(services: services)
    var application = Application(
        router: StrategyPathResponderBuilder(router: router),
        server: .http1WebSocketUpgrade(webSocketRouter: router),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "tradelab"),
        logger: logger)
    application.addServices(CleanupService(manager: services.manager, optimizations: services.optimizations, interval: configuration.cleanupInterval))
    return (application, services)
}

/// Forgets old sessions every `interval` seconds (see ``BacktestManager/cleanup(now:)``); on
/// graceful shutdown (SIGINT/SIGTERM) it stops at once and kills the workers.
struct CleanupService: Service {
    let manager: BacktestManager
    let optimizations: OptimizationManager
    let interval: Double

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(nanoseconds: UInt64(interval * 1e9))
                await manager.cleanup()
            }
        }
        await optimizations.shutdown()
        await manager.shutdown()
    }
}

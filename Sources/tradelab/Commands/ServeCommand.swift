import ArgumentParser
import Foundation
import Hummingbird
import TradelabServer

/// `tradelab serve`: the REST API, the WebSocket and the web IDE.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API, the live WebSocket and the web IDE.",
        discussion: "API guide: docs/http-api.md; the OpenAPI document is served at /api/openapi.json."
    )

    @Option(help: "Interface to bind. Anything but loopback needs --token.") var host = "127.0.0.1"
    @Option(help: "TCP port (0 picks a free one).") var port = 8080
    @Option(name: .customLong("data-dir"), help: "Market data folder.") var dataDirectory = "data"
    @Option(name: .customLong("strategies-dir"), help: "Strategy .lua files.") var strategiesDirectory = "strategies"
    @Option(name: .customLong("state-dir"), help: "Database and run artifacts.") var stateDirectory = ".tradelab"
    @Option(name: .customLong("web-dir"), help: "The web IDE's files.") var webDirectory = "web"
    @Option(help: "Require this token on every request (Authorization: Bearer TOKEN).") var token: String?
    @Option(name: .customLong("max-workers"), help: "Backtests running at once (default: number of cores).") var maxWorkers: Int?
    @Option(name: .customLong("spare-workers"), help: "Worker processes kept started ahead of need, so runs start at once (default: as many as --max-workers; 0: start each on demand).") var spareWorkers: Int?
    @Option(name: .customLong("run-time-limit"), help: "Wall-clock limit of one run in seconds (default 600).") var runTimeLimit: Double = 600
    @Option(name: .customLong("max-optimizations"), help: "Optimizations running at once, each on every core (default 1).") var maxOptimizations = 1
    @Option(name: .customLong("optimization-time-limit"), help: "Wall-clock limit of one optimization in seconds (default 3600).") var optimizationTimeLimit: Double = 3600
    @Option(name: .customLong("worker-memory-limit"), help: "Resident memory limit of a worker in MiB (default 2048).") var workerMemory = 2048
    @Option(name: .customLong("session-max-age"), help: "Seconds before sessions that are not running are forgotten (default 3600).") var sessionMaxAge: Double = 3600

    func run() async throws {
        var configuration = ServerConfiguration(dataDirectory: dataDirectory, strategiesDirectory: strategiesDirectory,
                                                stateDirectory: stateDirectory, webDirectory: webDirectory,
                                                workerExecutable: Self.executablePath())
        let slim = URL(fileURLWithPath: configuration.workerExecutable).deletingLastPathComponent().appendingPathComponent("tradelab-worker").path
        if FileManager.default.isExecutableFile(atPath: slim) {   // built next to tradelab: the same worker, quicker to start
            configuration.workerExecutable = slim
            configuration.workerArguments = []
        }
        configuration.host = host
        configuration.port = port
        configuration.token = token
        if let maxWorkers { configuration.maxWorkers = maxWorkers }
        configuration.spareWorkers = spareWorkers
        configuration.runTimeLimit = runTimeLimit
        configuration.maxOptimizations = maxOptimizations
        configuration.optimizationTimeLimit = optimizationTimeLimit
        configuration.workerMemoryLimitMiB = workerMemory
        configuration.sessionMaxAge = sessionMaxAge
        do {
            let (application, _) = try buildApplication(configuration: configuration)
            print("Tradelab serving http://\(host):\(port)/ (API: /api, live: /ws, OpenAPI: /api/openapi.json)")
            try await application.runService()
        } catch let error as ConfigurationError {
            throw CLIError(error.description)
        }
    }

    /// This executable, which also runs the workers (`tradelab worker`).
    static func executablePath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

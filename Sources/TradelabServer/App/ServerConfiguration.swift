import Foundation

/// Everything `tradelab serve` can be told; the defaults are what `make run` uses.
public struct ServerConfiguration: Sendable {
    /// Interface to bind: loopback unless told otherwise (then a token is required).
    public var host = "127.0.0.1"
    /// TCP port (0 picks a free one).
    public var port = 8080
    /// Market data (CSV/Parquet files and the Binance cache).
    public var dataDirectory: String
    /// Strategy `.lua` files (sub-folders allowed).
    public var strategiesDirectory: String
    /// The SQLite database and run artifacts.
    public var stateDirectory: String
    /// The web IDE's static files (nil: no web UI).
    public var webDirectory: String?
    /// When set, every request needs `Authorization: Bearer TOKEN` (or `?token=`).
    public var token: String?
    /// Worker processes running at once.
    public var maxWorkers = ProcessInfo.processInfo.activeProcessorCount
    /// Worker processes started ahead of need, so a run does not wait for one to start (nil: as
    /// many as ``maxWorkers``; 0: start each on demand). Each runs one job and exits.
    public var spareWorkers: Int?
    /// The worker executable: `tradelab` (started as `tradelab worker`) or `tradelab-worker`.
    public var workerExecutable: String
    /// Its arguments: `["worker"]` for `tradelab`, none for `tradelab-worker`.
    public var workerArguments = ["worker"]
    /// Wall-clock limit of one run in seconds, pauses excluded (the Lua sandbox gets the same
    /// limit, so it normally fails first with the script's line).
    public var runTimeLimit: Double = 600
    /// Optimizations running at once (each searches on every core of its worker).
    public var maxOptimizations = 1
    /// Wall-clock limit of one optimization in seconds.
    public var optimizationTimeLimit: Double = 3600
    /// Resident memory limit of a worker in MiB.
    public var workerMemoryLimitMiB = 2048
    /// Lua memory cap inside the worker in MiB.
    public var luaMemoryMiB = 64
    /// Sessions not running are forgotten from memory after this many seconds (idle ones are
    /// deleted; finished runs stay in the database and on disk).
    public var sessionMaxAge: Double = 3600
    /// How often the cleanup runs, in seconds.
    public var cleanupInterval: Double = 1800
    /// Result cache bounds.
    public var cacheEntries = 64
    /// Result cache bound in bytes.
    public var cacheBytes = 256 << 20

    /// Creates a configuration; relative folders are made absolute.
    public init(dataDirectory: String = "data", strategiesDirectory: String = "strategies", stateDirectory: String = ".tradelab",
                webDirectory: String? = "web", workerExecutable: String) {
        self.dataDirectory = Self.absolute(dataDirectory)
        self.strategiesDirectory = Self.absolute(strategiesDirectory)
        self.stateDirectory = Self.absolute(stateDirectory)
        self.webDirectory = webDirectory.map(Self.absolute)
        self.workerExecutable = Self.absolute(workerExecutable)
    }

    /// Run artifacts: `artifacts/<id>/`.
    public var artifactsDirectory: String { stateDirectory + "/artifacts" }
    /// The SQLite database.
    public var databasePath: String { stateDirectory + "/tradelab.sqlite" }

    /// Whether ``host`` is a loopback address (`localhost`, `::1` or an IPv4 literal in 127/8).
    public var isLoopback: Bool { host == "localhost" || Self.isLoopbackAddress(host) }

    /// Whether `text` is a loopback IP literal: `::1`, or four decimal octets starting with 127.
    /// Names such as `127.example.com` are not.
    static func isLoopbackAddress(_ text: String) -> Bool {
        if text == "::1" { return true }
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.first == "127"
            && octets.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && UInt8($0) != nil }
    }

    /// Refuses unsafe or impossible settings.
    /// - Throws: ``APIError``-free plain errors with a message for the command line.
    public func validate() throws {
        if !isLoopback && (token ?? "").isEmpty {
            throw ConfigurationError("refusing to bind \(host) without --token: only loopback addresses may be served without one")
        }
        if maxWorkers < 1 { throw ConfigurationError("--max-workers must be at least 1") }
        if let spareWorkers, spareWorkers < 0 || spareWorkers > 64 { throw ConfigurationError("--spare-workers must be from 0 to 64") }
        if runTimeLimit <= 0 { throw ConfigurationError("the run time limit must be positive") }
        if !(1...64).contains(maxOptimizations) { throw ConfigurationError("--max-optimizations must be from 1 to 64") }
        if optimizationTimeLimit <= 0 { throw ConfigurationError("--optimization-time-limit must be positive") }
        if !FileManager.default.isExecutableFile(atPath: workerExecutable) {
            throw ConfigurationError("the worker executable \(workerExecutable) does not exist or is not executable")
        }
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}

/// A configuration the server refuses to start with.
public struct ConfigurationError: Error, CustomStringConvertible {
    /// Why.
    public let description: String
    init(_ description: String) { self.description = description }
}

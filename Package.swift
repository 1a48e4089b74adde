// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Tradelab",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "TradelabCore", targets: ["TradelabCore"]),
        .library(name: "TradelabData", targets: ["TradelabData"]),
        .library(name: "TradelabLua", targets: ["TradelabLua"]),
        .library(name: "TradelabRun", targets: ["TradelabRun"]),
        .executable(name: "tradelab", targets: ["tradelab"]),
        .executable(name: "tradelab-worker", targets: ["tradelab-worker"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // Pure domain: bars, indicators, broker simulation, backtest loop, metrics. No I/O.
        .target(name: "TradelabCore"),
        // Compression codecs for Parquet, from Debian (libsnappy-dev, libzstd-dev, zlib1g-dev).
        .systemLibrary(name: "CSnappy", pkgConfig: "snappy", providers: [.apt(["libsnappy-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Market-data I/O: CSV, Parquet, sample data, data catalog, result artifacts.
        .target(name: "TradelabData", dependencies: ["TradelabCore", "CSnappy", "CZstd", "CZlib"]),
        // Lua 5.4 from Debian (liblua5.4-dev), and the C side of the sandbox and bindings.
        .systemLibrary(name: "CLua", pkgConfig: "lua5.4", providers: [.apt(["liblua5.4-dev"])]),
        .target(name: "CLuaShim", dependencies: ["CLua"]),
        // Lua strategies: sandbox, bindings, metadata, validator.
        .target(name: "TradelabLua", dependencies: ["TradelabCore", "CLua", "CLuaShim"]),
        // The one run pipeline: the typed job, its orchestration (JobRunner), its results and
        // artifacts, live states, and the worker protocol's types. Used by the CLI, the worker,
        // the server, and next the optimizers, the runners and the C ABI.
        // Release builds drop the dynamic exclusivity checks here (the static ones stay): the JSON
        // writer's buffer is a class property touched for every byte run it appends, and the
        // runtime checks cost about a fifth of encoding a result with 39k trades.
        .target(name: "TradelabRun", dependencies: ["TradelabCore", "TradelabData", "TradelabLua"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]),
        // The HTTP/WebSocket server: REST routes, live hub, run store (SQLite + files), worker supervisor.
        .target(
            name: "TradelabServer",
            dependencies: [
                "TradelabCore", "TradelabData", "TradelabLua", "TradelabRun",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("Resources/openapi.json")]
        ),
        // The command-line interface.
        .executableTarget(
            name: "tradelab",
            dependencies: [
                "TradelabCore", "TradelabData", "TradelabLua", "TradelabRun", "TradelabServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The worker process alone (what `tradelab worker` runs), without the server and the CLI.
        .executableTarget(name: "tradelab-worker", dependencies: ["TradelabRun"]),
        .testTarget(
            name: "TradelabCoreTests",
            dependencies: ["TradelabCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "TradelabDataTests", dependencies: ["TradelabData"]),
        .testTarget(name: "TradelabLuaTests", dependencies: ["TradelabLua", "TradelabData"]),
        .testTarget(name: "TradelabRunTests", dependencies: ["TradelabRun"]),
        .testTarget(
            name: "TradelabServerTests",
            dependencies: [
                "TradelabServer",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

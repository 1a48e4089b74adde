// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Tradelab",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "TradelabCore", targets: ["TradelabCore"]),
        .library(name: "TradelabData", targets: ["TradelabData"]),
        .library(name: "TradelabLua", targets: ["TradelabLua"]),
        .executable(name: "tradelab", targets: ["tradelab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
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
        // The command-line interface.
        .executableTarget(
            name: "tradelab",
            dependencies: [
                "TradelabCore", "TradelabData", "TradelabLua",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "TradelabCoreTests",
            dependencies: ["TradelabCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "TradelabDataTests", dependencies: ["TradelabData"]),
        .testTarget(name: "TradelabLuaTests", dependencies: ["TradelabLua", "TradelabData"]),
    ],
    swiftLanguageModes: [.v6]
)

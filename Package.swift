// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Tradelab",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "TradelabCore", targets: ["TradelabCore"]),
        .library(name: "TradelabData", targets: ["TradelabData"]),
        .executable(name: "tradelab", targets: ["tradelab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Pure domain: bars, indicators, broker simulation, backtest loop, metrics. No I/O.
        .target(name: "TradelabCore"),
        // Market-data I/O: CSV, sample data, result artifacts.
        .target(name: "TradelabData", dependencies: ["TradelabCore"]),
        // The command-line interface.
        .executableTarget(
            name: "tradelab",
            dependencies: [
                "TradelabCore", "TradelabData",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "TradelabCoreTests",
            dependencies: ["TradelabCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "TradelabDataTests", dependencies: ["TradelabData"]),
    ],
    swiftLanguageModes: [.v6]
)

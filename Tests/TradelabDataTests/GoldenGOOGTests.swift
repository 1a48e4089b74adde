import Foundation
import Testing
import TradelabCore
@testable import TradelabData

/// backtesting.py's README run, pinned: its GOOG.csv (2,148 daily bars, shipped in the PyPI
/// package that `scripts/setup.sh` installs into .venv), SmaCross 10/20, cash 10,000,
/// commission 0.002, with the backtesting.py preset.
@Suite struct GoldenGOOGTests {
    static func googPath() throws -> String {
        if let path = ProcessInfo.processInfo.environment["GOOG_CSV"] { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let lib = root.appendingPathComponent(".venv/lib")
        let pythons = (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? []
        for python in pythons where python.hasPrefix("python") {
            let path = lib.appendingPathComponent("\(python)/site-packages/backtesting/test/GOOG.csv").path
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        throw DataFileError(file: "GOOG.csv", reason: "not found in \(lib.path)/python*/site-packages/backtesting/test: run scripts/setup.sh (make test does) or set GOOG_CSV")
    }

    @Test func smaCrossReproducesTheBacktestingPyRunTradeForTrade() throws {
        let loaded = try CSVLoader.load(path: Self.googPath())
        #expect(loaded.bars.count == 2_148)
        #expect(loaded.timeframe == .d1)
        let result = try Backtester(config: .backtestingPy(cash: 10_000, commission: 0.002)).run(SmaCross(fast: 10, slow: 20), on: loaded.bars)

        #expect(result.closedTrades.count == 93)
        let open = try #require(result.openTrades.first)
        #expect(result.openTrades.count == 1)
        #expect(open.side == .long && open.quantity == 69 && open.entryPrice == 702.24 && open.entryIndex == 2087)
        #expect((result.finalEquity * 100).rounded() == 5_626_352)

        // First and last closed trades, as backtesting.py lists them (size, entry/exit bar, prices).
        let first = result.closedTrades[0], last = result.closedTrades[92]
        #expect(first.side == .short && first.quantity == 59 && first.entryIndex == 63 && first.exitIndex == 75)
        #expect(first.entryPrice == 169.02 && first.exitPrice == 179.13)
        #expect(last.side == .short && last.quantity == 69 && last.entryIndex == 2059 && last.exitIndex == 2087)

        let metrics = result.metrics()
        #expect(abs(metrics.totalReturn - 4.6263519) < 1e-7)
        #expect(abs(metrics.maxDrawdown - -0.3393159) < 1e-7)
        #expect(abs(metrics.winRate! - 49.0 / 93.0) < 1e-12)
    }
}

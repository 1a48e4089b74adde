import Foundation
import Testing
@testable import TradelabLua

/// The bundled templates and examples validate cleanly.
@Suite struct ValidationStrategyFilesTests {
    /// `strategies/` at the package root, found from this file's path.
    static let strategies = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("strategies")

    static func scripts(in folder: String) -> [URL] {
        let url = strategies.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(".lua") }.sorted().map { url.appendingPathComponent($0) }
    }

    @Test func theTemplatesAndExamplesAreAllThere() {
        #expect(Self.scripts(in: "templates").map(\.lastPathComponent) == [
            "bollinger_bounce.lua", "ema_crossover.lua", "empty.lua", "macd.lua", "range_breakout.lua", "rsi_mean_reversion.lua",
        ])
        #expect(Self.scripts(in: "examples").map(\.lastPathComponent) == ["atr_trailing_stop.lua", "lifecycle_breakout.lua", "sma_cross.lua"])
    }

    @Test(arguments: scripts(in: "templates") + scripts(in: "examples"))
    func everyBundledScriptValidatesWithoutErrorsOrWarnings(_ url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        let report = StrategyValidator.validate(text, fileName: url.lastPathComponent)
        #expect(report.isValid)
        #expect(report.diagnostics.isEmpty, "\(ValidationFixture.dump(report))")
        let m = report.metadata
        #expect(m.name != nil && m.description != nil && m.risk != nil)
        #expect(m.author == "Tradelab")
        #expect(!m.indicators.isEmpty && !m.symbols.isEmpty && !m.params.isEmpty)
        #expect(m.params.allSatisfy { $0.minimum != nil && $0.maximum != nil && $0.summary != nil })
        // The header survives a round trip through the form.
        #expect(StrategyMetadata.parse(m.headerText()).metadata == m)
        #expect(report.style == (url.lastPathComponent.hasPrefix("lifecycle") ? .lifecycle : .onBar))
    }

    @Test func theSmaCrossExampleMatchesTheNativeStrategysParameters() throws {
        let url = Self.strategies.appendingPathComponent("examples/sma_cross.lua")
        let m = StrategyMetadata.parse(try String(contentsOf: url, encoding: .utf8)).metadata
        #expect(m.params.map(\.name) == ["fast", "slow"])
        #expect(m.params.map(\.defaultValue) == [10, 20])
        #expect(m.params.allSatisfy { $0.isInteger })
    }
}

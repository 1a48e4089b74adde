import Foundation
import Testing
@testable import TradelabLua

@Suite struct MetadataHeaderTextTests {
    @Test func rendersTheCanonicalHeader() {
        let (m, _) = StrategyMetadata.parse(MetadataParserTests.emaHeader)
        #expect(m.headerText() == """
        -- @name EMA Crossover
        -- @description Buys when the fast EMA crosses above the slow one, sells on the cross below.
        -- @author Tradelab
        -- @indicators ema
        -- @symbols BTCUSDT, ETHUSDT
        -- @risk medium
        -- @param fast 12 [2, 100] fast EMA period
        -- @param slow 26 [5, 400] slow EMA period

        """)
    }

    static let samples: [StrategyMetadata] = [
        StrategyMetadata(),
        StrategyMetadata(name: "Only a name"),
        StrategyMetadata(name: "Full", description: String(repeating: "A long description that wraps. ", count: 12).trimmingCharacters(in: .whitespaces),
                         author: "Tradelab", indicators: ["ema", "rsi"], context: ["funding_rate"], symbols: ["BTCUSDT", "ETHUSDT"],
                         risk: "high", params: [
                            ParamSpec(name: "fast", defaultValue: 12, minimum: 2, maximum: 100, summary: "fast period", line: 0),
                            ParamSpec(name: "width", defaultValue: 2, minimum: 0.5, maximum: 4, isInteger: false, line: 0),
                            ParamSpec(name: "tiny", defaultValue: 0.00001, line: 0),
                            ParamSpec(name: "negative", defaultValue: -3, minimum: -10, maximum: 0, summary: "[not a range]", line: 0),
                            ParamSpec(name: "whole", defaultValue: 3, isInteger: false, line: 0),
                         ]),
        StrategyMetadata(description: "Unbreakable" + String(repeating: "x", count: 200) + " then  two  spaces"),
    ]

    @Test(arguments: samples)
    func parsingTheRenderedHeaderGivesTheMetadataBack(_ m: StrategyMetadata) {
        let text = m.headerText()
        let (parsed, diagnostics) = StrategyMetadata.parse(text)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(parsed == m, "\(text)")
    }

    @Test func longDescriptionsWrapOverSeveralLines() throws {
        let m = try #require(Self.samples.dropFirst(2).first)
        let lines = m.headerText().split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("-- @description ") }.count > 1)
        #expect(lines.allSatisfy { $0.count <= 100 })
    }

    @Test func lineBreaksInValuesBecomeSpaces() {
        let m = StrategyMetadata(name: "Two\nlines", description: "  padded\r\n ")
        #expect(m.headerText() == "-- @name Two lines\n-- @description padded\n")
    }

    @Test func applyingAHeaderReplacesTheTagsAndKeepsTheRest() {
        let script = """
        -- Copyright note
        -- @name Old
        -- @param fast 10 [2, 100]

        -- @risk low
        function on_bar(ctx, bar) end -- @name not header

        """
        var m = StrategyMetadata.parse(script).metadata
        m.name = "New"
        m.params[0].defaultValue = 12
        #expect(m.applyingHeader(to: script) == """
        -- Copyright note
        -- @name New
        -- @risk low
        -- @param fast 12 [2, 100]

        function on_bar(ctx, bar) end -- @name not header

        """)
        #expect(StrategyMetadata().applyingHeader(to: "x = 1\n") == "x = 1\n")
        #expect(StrategyMetadata(name: "A").applyingHeader(to: "x = 1\n") == "-- @name A\nx = 1\n")
    }

    @Test func encodesAndDecodesAsJSON() throws {
        let m = Self.samples[2]
        let data = try JSONEncoder().encode(m)
        #expect(try JSONDecoder().decode(StrategyMetadata.self, from: data) == m)
        let json = try #require(String(data: data, encoding: .utf8))
        #expect(json.contains("\"isInteger\":true"))
    }

    @Test func decodingAcceptsPartialJSON() throws {
        let m = try JSONDecoder().decode(StrategyMetadata.self, from: Data(#"{"name":"X","params":[{"name":"n","defaultValue":3}]}"#.utf8))
        #expect(m.name == "X")
        #expect(m.symbols == [])
        #expect(m.params == [ParamSpec(name: "n", defaultValue: 3, isInteger: true, line: 0)])
    }

    @Test func equalityIgnoresWhereAParameterWasWritten() {
        #expect(ParamSpec(name: "a", defaultValue: 1, line: 3) == ParamSpec(name: "a", defaultValue: 1, line: 9))
        #expect(ParamSpec(name: "a", defaultValue: 1, line: 3) != ParamSpec(name: "a", defaultValue: 1, isInteger: false, line: 3))
    }
}

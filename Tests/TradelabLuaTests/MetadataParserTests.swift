import Testing
@testable import TradelabLua

/// A header that should produce one diagnostic.
struct BadHeaderCase: Sendable, CustomTestStringConvertible {
    var text: String
    var line: Int
    var column: Int
    var severity: Diagnostic.Severity
    var fragment: String
    var testDescription: String { fragment }
}

@Suite struct MetadataParserTests {
    static let emaHeader = """
    -- @name EMA Crossover
    -- @description Buys when the fast EMA crosses above the slow one, sells on the cross below.
    -- @author Tradelab
    -- @indicators ema
    -- @context
    -- @symbols BTCUSDT, ETHUSDT
    -- @risk medium
    -- @param fast 12 [2, 100] fast EMA period
    -- @param slow 26 [5, 400] slow EMA period
    function on_init(ctx)
      fast = ta.ema(params.fast)
    end
    """

    @Test func readsEveryTagOfAFullHeader() {
        let (m, diagnostics) = StrategyMetadata.parse(Self.emaHeader)
        #expect(diagnostics.isEmpty)
        #expect(m.name == "EMA Crossover")
        #expect(m.description == "Buys when the fast EMA crosses above the slow one, sells on the cross below.")
        #expect(m.author == "Tradelab")
        #expect(m.indicators == ["ema"])
        #expect(m.context == [])
        #expect(m.symbols == ["BTCUSDT", "ETHUSDT"])
        #expect(m.risk == "medium")
        #expect(m.params == [
            ParamSpec(name: "fast", defaultValue: 12, minimum: 2, maximum: 100, summary: "fast EMA period", isInteger: true, line: 8),
            ParamSpec(name: "slow", defaultValue: 26, minimum: 5, maximum: 400, summary: "slow EMA period", isInteger: true, line: 9),
        ])
        #expect(m.params.map(\.line) == [8, 9])
    }

    @Test func listsAreSeparatedByCommasAndOrSpaces() {
        let (m, d) = StrategyMetadata.parse("-- @symbols BTCUSDT ETHUSDT,SOLUSDT , XRPUSDT\n-- @context funding_rate open_interest\n")
        #expect(d.isEmpty)
        #expect(m.symbols == ["BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT"])
        #expect(m.context == ["funding_rate", "open_interest"])
    }

    @Test func repeatedListAndDescriptionTagsAccumulate() {
        let (m, d) = StrategyMetadata.parse("-- @description First part,\n-- @description second part.\n-- @indicators ema\n-- @indicators rsi\n")
        #expect(d.isEmpty)
        #expect(m.description == "First part, second part.")
        #expect(m.indicators == ["ema", "rsi"])
    }

    @Test func headerEndsAtTheFirstLineOfCode() {
        let (m, _) = StrategyMetadata.parse("-- @name A\n\n-- plain comment\n\nlocal x = 1\n-- @name B\n-- @param late 1\n")
        #expect(m.name == "A")
        #expect(m.params.isEmpty)
    }

    @Test func longCommentsInTheHeaderAreSkipped() {
        let text = "--[[ License text\n@name Ignored\n]] -- @author Me\n--[==[ one line ]==]\n-- @name Real\nx = 1\n"
        let (m, d) = StrategyMetadata.parse(text)
        #expect(d.isEmpty)
        #expect(m.name == "Real")
        #expect(m.author == "Me")   // a comment after the closing brackets is read
    }

    @Test func windowsLineEndingsAndAByteOrderMarkAreAccepted() {
        let (m, d) = StrategyMetadata.parse("\u{FEFF}-- @name A\r\n-- @param fast 10 [2, 100]\r\nx = 1\r\n")
        #expect(d.isEmpty)
        #expect(m.name == "A")
        #expect(m.params.first?.maximum == 100)
    }

    @Test(arguments: [
        ("-- @param fast 10 [2, 100]", true),
        ("-- @param k 2.0 [0.5, 4]", false),
        ("-- @param k 1 [0.5, 3]", false),
        ("-- @param k 1e3", false),
        ("-- @param offset -5 [-10, 10]", true),
    ])
    func integerOrDecimalAsWritten(line: String, isInteger: Bool) throws {
        let (m, d) = StrategyMetadata.parse(line)
        #expect(d.isEmpty)
        #expect(try #require(m.params.first).isInteger == isInteger)
    }

    @Test func rangeAndDescriptionAreOptional() {
        let (m, d) = StrategyMetadata.parse("-- @param fast 10 fast period\n-- @param slow 20\n")
        #expect(d.isEmpty)
        #expect(m.params[0] == ParamSpec(name: "fast", defaultValue: 10, summary: "fast period", line: 1))
        #expect(m.params[1].minimum == nil && m.params[1].maximum == nil && m.params[1].summary == nil)
    }

    @Test func riskIsCaseInsensitiveAndStoredLowercase() {
        #expect(StrategyMetadata.parse("-- @risk High").metadata.risk == "high")
    }

    static let badHeaders: [BadHeaderCase] = [
        .init(text: "-- @param fast", line: 1, column: 15, severity: .error, fragment: "@param fast needs a default value"),
        .init(text: "-- @param", line: 1, column: 4, severity: .error, fragment: "@param needs a name and a default value"),
        .init(text: "-- @param fast abc [1, 2]", line: 1, column: 16, severity: .error, fragment: "default 'abc' is not a number"),
        .init(text: "-- @param fast 0x10", line: 1, column: 16, severity: .error, fragment: "default '0x10' is not a number"),
        .init(text: "\n\n-- @param x 1e [0, 1]", line: 3, column: 13, severity: .error, fragment: "default '1e' is not a number"),
        .init(text: "-- @param fast 1 [2, 100]", line: 1, column: 16, severity: .error, fragment: "default 1 is outside its range [2, 100]"),
        .init(text: "-- @param fast 10 [100, 2]", line: 1, column: 19, severity: .error, fragment: "range [100, 2] has its minimum above its maximum"),
        .init(text: "-- @param fast 10 [2]", line: 1, column: 19, severity: .error, fragment: "range must be [MIN, MAX], got '[2]'"),
        .init(text: "-- @param fast 10 [2, x]", line: 1, column: 23, severity: .error, fragment: "range bound 'x' is not a number"),
        .init(text: "-- @param fast 10 [2, 100", line: 1, column: 19, severity: .error, fragment: "is missing its closing ']'"),
        .init(text: "-- @param fast 10\n-- @param fast 12", line: 2, column: 11, severity: .error,
              fragment: "duplicate @param 'fast' (first declared on line 1)"),
        .init(text: "-- @param 2fast 10", line: 1, column: 11, severity: .error, fragment: "'2fast' is not a Lua identifier"),
        .init(text: "-- @param end 10", line: 1, column: 11, severity: .error, fragment: "'end' is not a Lua identifier"),
        .init(text: "-- @risk extreme", line: 1, column: 10, severity: .error, fragment: "@risk must be low, medium or high, got 'extreme'"),
        .init(text: "-- @risk", line: 1, column: 4, severity: .error, fragment: "@risk must be low, medium or high, got nothing"),
        .init(text: "-- @nmae X", line: 1, column: 4, severity: .warning, fragment: "unknown tag @nmae (did you mean '@name'?)"),
        .init(text: "--   @version 2", line: 1, column: 6, severity: .warning, fragment: "unknown tag @version; known tags: @name,"),
        .init(text: "-- @name", line: 1, column: 4, severity: .warning, fragment: "@name has no value"),
        .init(text: "-- @name A\n-- @name B", line: 2, column: 4, severity: .warning, fragment: "@name is given twice (first on line 1)"),
        .init(text: "-- @indicators ema, emaa", line: 1, column: 21, severity: .warning,
              fragment: "unknown indicator 'emaa' in @indicators (did you mean 'ema'?)"),
        .init(text: "-- @symbols BTC, BTC", line: 1, column: 18, severity: .warning, fragment: "'BTC' is listed twice in @symbols"),
    ]

    @Test(arguments: badHeaders)
    func malformedHeaderLinesAreReportedWhereTheyAre(_ c: BadHeaderCase) {
        let (_, diagnostics) = StrategyMetadata.parse(c.text + "\nfunction on_bar(ctx, bar) end\n")
        #expect(diagnostics.count == 1, "\(diagnostics)")
        let d = diagnostics.first
        #expect(d?.line == c.line)
        #expect(d?.column == c.column)
        #expect(d?.severity == c.severity)
        #expect(d?.message.contains(c.fragment) == true, "\(d?.message ?? "none")")
    }

    @Test func aParamWithABadRangeIsStillDeclared() {
        // So that params.fast is not reported again as undeclared.
        let (m, _) = StrategyMetadata.parse("-- @param fast 1 [2, 100]\n")
        #expect(m.params.map(\.name) == ["fast"])
    }

    @Test func tagsMustStartTheComment() {
        let (m, d) = StrategyMetadata.parse("-- mail me @ home, or @name-less\n-- see @name below\n")
        #expect(d.isEmpty)
        #expect(m == StrategyMetadata())
    }
}

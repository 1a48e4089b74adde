import Testing
@testable import TradelabLua

/// An `on_init` body and the one finding it should produce (nil: none).
struct IndicatorCase: Sendable, CustomTestStringConvertible {
    var initBody: String
    var severity: Diagnostic.Severity?
    var fragment: String = ""
    var testDescription: String { initBody }
}

@Suite struct ValidationIndicatorTests {
    static let header = "-- @indicators sma, ema, rsi, macd, bbands, atr, obv"

    static let cases: [IndicatorCase] = [
        .init(initBody: "a = ta.ema(20)\nb = ta.sma()\nc = ta.ema(params.n)\nd = ta.ema(20, \"hl2\")\nm = ta.macd(12, 26, 9)", severity: nil),
        .init(initBody: "b = ta.bbands(20, 2.5)\nr = ta.rsi(2)\nx = ta.atr(14)\no = ta.obv()\n", severity: nil),
        .init(initBody: "x = ta.emma(3)", severity: .error, fragment: "unknown indicator ta.emma (did you mean 'ta.ema'?); available: sma, ema,"),
        .init(initBody: "x = ta.EMA(3)", severity: .error, fragment: "unknown indicator ta.EMA (did you mean 'ta.ema'?)"),
        .init(initBody: "x = ta.ema(10, 20)", severity: .error, fragment: "ta.ema takes at most 1 parameter (period), got 2"),
        .init(initBody: "x = ta.macd(1, 2, 3, 4)", severity: .error, fragment: "ta.macd takes at most 3 parameters (fast, slow, signal), got 4"),
        .init(initBody: "x = ta.obv(5)", severity: .error, fragment: "ta.obv takes no parameters, got 1"),
        .init(initBody: "x = ta.rsi(1)", severity: .error, fragment: "ta.rsi: parameter 'period' must be an integer in 2...100000, got 1"),
        .init(initBody: "x = ta.sma(2.5)", severity: .error, fragment: "ta.sma: parameter 'period' must be an integer in 1...100000, got 2.5"),
        .init(initBody: "x = ta.sma(-3)", severity: .error, fragment: "must be an integer in 1...100000, got -3"),
        .init(initBody: "x = ta.bbands(20, 101)", severity: .error, fragment: "ta.bbands: parameter 'multiplier' must be a number in 0...100, got 101"),
        .init(initBody: "x = ta.macd(30, 10, 9)", severity: .error, fragment: "ta.macd: 'macd' parameter 'fast' (30) must not exceed 'slow' (10)"),
        .init(initBody: "x = ta.ema(20, \"hl3\")", severity: .error, fragment: "ta.ema: unknown price source 'hl3' (did you mean 'hl2'?)"),
        .init(initBody: "x = ta.atr(14, \"close\")", severity: .error, fragment: "ta.atr takes no price source ('close')"),
        .init(initBody: "x = ta.ema(\"hl2\", 20)", severity: .error, fragment: "ta.ema: argument 1 is a string"),
        .init(initBody: "x = ta.atr(14, {1, 2})", severity: .error, fragment: "only single-series indicators take an array"),
        .init(initBody: "x = ta.crossover(a)", severity: .error, fragment: "ta.crossover takes 2 arguments (a, b: indicators or numbers), got 1"),
        .init(initBody: "x = ta.crossunder(a, b, c)", severity: .error, fragment: "ta.crossunder takes 2 arguments"),
        .init(initBody: "-- x = ta.emma(3)\ns = \"ta.emma(3)\"\nt = [[ ta.rsi(0) ]]\n--[==[ ta.foo() ]==]", severity: nil),
        .init(initBody: "x = obj.ta.emma(3)\ny = obj:ta()", severity: nil),
    ]

    @Test(arguments: cases)
    func indicatorCallsAreChecked(_ c: IndicatorCase) {
        let text = ValidationFixture.onBar(header: Self.header + "\n-- @param n 10 [2, 50]", initBody: c.initBody)
        let report = ValidationFixture.validate(text)
        let errors = report.diagnostics.filter { $0.severity == .error }
        if let severity = c.severity {
            let found = ValidationFixture.matching(report, severity, c.fragment)
            #expect(found.count == 1, "\(ValidationFixture.dump(report))")
            #expect(found.first?.line ?? 0 >= 4)
        } else {
            #expect(errors.isEmpty, "\(ValidationFixture.dump(report))")
        }
    }

    @Test func indicatorsOutsideOnInitAreAWarningExceptTheArrayForm() {
        let text = ValidationFixture.onBar(header: "-- @indicators sma, ema\n-- @param n 10 [2, 50]", body: """
        local a = ta.ema(10)
        local b = ta.sma(params.n)
        local c = ta.sma(3, closes)
        local d = ta.sma(3, {1, 2, 3})
        local e = ta.sma(closes)
        local f = ta.ema(params.n, ctx.state.values)
        """)
        let report = ValidationFixture.validate(text)
        let warnings = ValidationFixture.matching(report, .warning, "outside on_init: declare indicators in on_init")
        #expect(warnings.map(\.line) == [9, 10], "\(ValidationFixture.dump(report))")
        #expect(warnings.first?.column == 11)
        #expect(warnings.first?.message.hasPrefix("ta.ema(...) outside on_init") == true)
    }

    @Test func mainChunkDeclarationsAreOutsideOnInitToo() {
        let report = ValidationFixture.validate("-- @indicators ema\nx = ta.ema(10)\nfunction on_bar(ctx, bar) end\n")
        #expect(ValidationFixture.matching(report, .warning, "outside on_init").map(\.line) == [2])
    }

    @Test func theIndicatorsTagIsComparedWithTheCalls() {
        let text = ValidationFixture.onBar(header: "-- @indicators ema, rsi, emaa", initBody: "a = ta.ema(10)\nb = ta.atr(14)\nc = ta.atr(20)")
        let report = ValidationFixture.validate(text)
        let unused = ValidationFixture.matching(report, .warning, "@indicators lists 'rsi' but the script never calls ta.rsi")
        #expect(unused.map { "\($0.line):\($0.column)" } == ["2:21"])
        #expect(ValidationFixture.matching(report, .info, "ta.atr is used but not listed in @indicators").map(\.line) == [5])
        // The misspelt entry is the header's business only.
        #expect(ValidationFixture.matching(report, .warning, "emaa").count == 1)
    }
}

import Testing
@testable import TradelabLua

/// An `on_bar` body and whether the warm-up rule should warn.
struct WarmUpCase: Sendable, CustomTestStringConvertible {
    var body: String
    var warns: [String]
    var testDescription: String { body }
}

@Suite struct ValidationWarmUpTests {
    static let initBody = "fast = ta.ema(10)\nslow = ta.ema(20)\nm = ta.macd(12, 26, 9)\nctx.state.r = ta.rsi(14)\nb = ta.bbands(20, 2)"

    static let cases: [WarmUpCase] = [
        .init(body: "if fast.value > slow.value then return 'buy' end", warns: ["fast.value", "slow.value"]),
        .init(body: "if fast.value == nil or slow.value == nil then return end\nif fast.value > slow.value then return 'buy' end", warns: []),
        .init(body: "if nil == fast.value then return end\nif not slow.value then return end\nlocal d = fast.value - slow.value", warns: []),
        .init(body: "if fast.value and slow.value and fast.value > slow.value then return 'buy' end", warns: []),
        .init(body: "if fast.value ~= nil then log(fast.value * 2) end", warns: []),
        .init(body: "if fast.value == nil then return end\nif fast[1] < fast.value then return 'sell' end", warns: []),
        .init(body: "if fast[1] < 3 then return 'sell' end", warns: ["fast[1]"]),
        .init(body: "log('fast = ' .. fast.value)", warns: ["fast.value"]),
        .init(body: "local x = -fast.value", warns: ["fast.value"]),
        .init(body: "local v = fast.value\nif v > 1 then return 'buy' end", warns: []),
        .init(body: "if ta.crossover(fast, slow) then return 'buy' end", warns: []),
        .init(body: "if m.macd.value == nil then return end\nif m.hist.value > 0 then return 'buy' end", warns: ["m.hist.value"]),
        .init(body: "if m.hist.value == nil then return end\nif m.hist.value > 0 then return 'buy' end", warns: []),
        .init(body: "if m.signal.value == nil then return end\nif m.macd.value > m.hist[1] then return 'buy' end", warns: []),
        .init(body: "if b.lower.value == nil then return end\nif bar.close > b.upper.value then return 'sell' end", warns: []),
        .init(body: "if b.lower.value == nil then return end\nif m.macd.value > 0 then return 'sell' end", warns: ["m.macd.value"]),
        .init(body: "if ctx.state.r.value < 30 then return 'buy' end", warns: ["ctx.state.r.value"]),
        .init(body: "-- if fast.value > 0 then end\nlocal s = \"fast.value > 0\"", warns: []),
        .init(body: "if other.value > 0 then return 'buy' end", warns: []),
        .init(body: "if fast.value > 0 or fast.value < 0 then return 'buy' end", warns: ["fast.value"]),
    ]

    @Test(arguments: cases)
    func indicatorValuesNeedAWarmUpCheckBeforeArithmetic(_ c: WarmUpCase) {
        let text = ValidationFixture.onBar(header: "-- @indicators ema, macd, rsi, bbands", initBody: Self.initBody, body: c.body)
        let report = ValidationFixture.validate(text)
        #expect(report.isValid, "\(ValidationFixture.dump(report))")
        let warned = ValidationFixture.matching(report, .warning, "is nil during warm-up").map { String($0.message.prefix { $0 != " " }) }
        #expect(warned == c.warns, "\(ValidationFixture.dump(report))")
    }

    @Test func theWarningSaysHowToGuard() {
        let text = ValidationFixture.onBar(initBody: "fast = ta.ema(10)", body: "if fast[1] > 0 then return 'buy' end")
        let warning = ValidationFixture.matching(ValidationFixture.validate(text), .warning, "warm-up").first
        #expect(warning?.message == "fast[1] is nil during warm-up (until fast has enough bars) and is used here in arithmetic or a comparison; "
                + "check it first, e.g. 'if fast[1] == nil then return end'")
        #expect(warning.map { "\($0.line):\($0.column)" } == "8:4")
    }

    @Test func lifecycleCallbacksAreCheckedEachOnItsOwn() {
        let text = """
        function on_init(ctx) atr = ta.atr(14) end
        function detect_opportunity(ctx, bar)
          if atr.value == nil then return nil end
          if bar.close > atr.value then return {} end
        end
        function filter_commitment(ctx, bar, signal) return atr.value > 1 end
        function manage_position(ctx, bar, position) end
        """
        let report = ValidationFixture.validate(text)
        #expect(ValidationFixture.matching(report, .warning, "is nil during warm-up").map(\.line) == [6])
    }
}

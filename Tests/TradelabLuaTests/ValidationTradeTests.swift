import Testing
@testable import TradelabLua

@Suite struct ValidationTradeTests {
    @Test(arguments: [
        ("trade.buy()", nil),
        ("trade.buy(0.5)", nil),
        ("trade.sell{ size = 0.5, sl_pct = 2, tp_pct = 4 }", nil),
        ("trade.buy({ qty = 3, sl = bar.low, limit = bar.close * 0.99 })", nil),
        ("trade.revert()\ntrade.close()", nil),
        ("trade.buy{ sl_pcnt = 2 }", "trade.buy has no option 'sl_pcnt' (did you mean 'sl_pct'?); options: size, qty, cash,"),
        ("trade.buy{ size = 2 }", "trade.buy: size is a fraction of equity in (0, 1], got 2"),
        ("trade.buy{ qty = -1 }", "trade.buy: option 'qty' must be a positive number, got -1"),
        ("trade.buy{ size = 0.5, cash = 100 }", "trade.buy: give one of size, qty or cash, not size and cash"),
        ("trade.sell{ limit = 1, stop = 2 }", "trade.sell: give limit or stop, not both"),
        ("trade.buy(2)", "trade.buy(2): a bare number is a fraction of equity in (0, 1]; use trade.buy{qty = 2} or trade.buy{cash = 2}"),
        ("trade.buy(0.5, 1)", "trade.buy takes one argument"),
        ("trade.close(1)", "trade.close takes no arguments"),
        ("trade.bye()", "unknown function trade.bye"),
        ("trade.selll()", "unknown function trade.selll (did you mean 'trade.sell'?)"),
        ("if x then return \"long\" end", "on_bar returns \"long\"; return \"buy\", \"sell\", \"revert\", \"close\", \"hold\" or nil"),
        ("return 'sel'", "on_bar returns \"sel\" (did you mean 'sell'?)"),
        ("return 1", "on_bar returns 1;"),
        ("return true", "on_bar returns true;"),
    ] as [(String, String?)])
    func tradeCallsAndReturnedActionsAreChecked(body: String, error: String?) {
        let report = ValidationFixture.validate(ValidationFixture.onBar(body: "local x = 1\n" + body))
        if let error {
            #expect(ValidationFixture.matching(report, .error, error).count == 1, "\(ValidationFixture.dump(report))")
        } else {
            #expect(report.isValid, "\(ValidationFixture.dump(report))")
        }
    }

    @Test(arguments: ["return 'buy'", "return \"hold\"", "return", "return nil", "if x then return 'close' else return 'revert' end",
                      "local f = function() return 'anything' end", "return 'b' .. 'uy'", "-- return 'long'"])
    func validReturnsPass(body: String) {
        let report = ValidationFixture.validate(ValidationFixture.onBar(body: "local x = 1\n" + body))
        #expect(report.isValid, "\(ValidationFixture.dump(report))")
    }

    @Test func percentOptionsBelowATenthLookLikeFractions() {
        let report = ValidationFixture.validate(ValidationFixture.onBar(body: "trade.buy{ sl_pct = 0.02 }"))
        #expect(report.isValid)
        #expect(ValidationFixture.matching(report, .warning, "sl_pct is in percent: 0.02 means 0.02%, not 2%").count == 1)
    }
}

@Suite struct ValidationSignalTests {
    static func script(_ detectBody: String) -> String {
        """
        function detect_opportunity(ctx, bar)
          \(detectBody)
        end
        function filter_commitment(ctx, bar, signal) return true end
        function manage_position(ctx, bar, position) return nil end
        """
    }

    @Test(arguments: [
        ("return {side = \"long\", reason = \"breakout\", sl_pct = 3}", nil, nil),
        ("return \"short\"", nil, nil),
        ("return nil", nil, nil),
        ("return {side = \"lnog\"}", Diagnostic.Severity.error, "a signal's side is \"long\" or \"short\", got \"lnog\" (did you mean 'long'?) (the engine would enter long)"),
        ("return \"up\"", .error, "detect_opportunity returns \"up\"; return a signal table"),
        ("return {side = \"long\", sl_pcnt = 3}", .warning, "signal field 'sl_pcnt' is not a trade option (did you mean 'sl_pct'?); the engine ignores it"),
        ("return {side = \"long\", size = 3}", .error, "detect_opportunity's signal: size is a fraction of equity in (0, 1], got 3"),
    ] as [(String, Diagnostic.Severity?, String?)])
    func signalsReturnedByDetectOpportunityAreChecked(body: String, severity: Diagnostic.Severity?, message: String?) {
        let report = ValidationFixture.validate(Self.script(body))
        if let severity, let message {
            #expect(ValidationFixture.matching(report, severity, message).count == 1, "\(ValidationFixture.dump(report))")
            #expect(report.diagnostics.count == 1, "\(ValidationFixture.dump(report))")
        } else {
            #expect(report.diagnostics.isEmpty, "\(ValidationFixture.dump(report))")
        }
    }
}

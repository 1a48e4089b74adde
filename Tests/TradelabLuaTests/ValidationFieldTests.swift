import Testing
@testable import TradelabLua

@Suite struct ValidationFieldTests {
    @Test func barFieldsOutsideTheStandardOnesNeedTheContextTag() {
        let body = "local a = bar.close + bar.volume + bar.ts + bar.funding_rate + bar[\"oi\"]"
        let undeclared = ValidationFixture.validate(ValidationFixture.onBar(body: body))
        let warnings = ValidationFixture.matching(undeclared, .warning, "is not a bar field")
        #expect(warnings.map { String($0.message.prefix(24)) } == ["bar.funding_rate is not ", "bar.oi is not a bar fiel"])
        #expect(warnings.first?.message.contains("add '-- @context funding_rate'") == true)

        let declared = ValidationFixture.validate(ValidationFixture.onBar(header: "-- @context funding_rate, oi", body: body))
        #expect(declared.warnings.isEmpty, "\(ValidationFixture.dump(declared))")
    }

    @Test func declaredContextThatIsNeverReadIsAWarning() {
        let text = ValidationFixture.onBar(header: "-- @context funding_rate, basis", body: "local f = bar.funding_rate\n-- bar.basis in a comment\nlocal s = 'bar.basis'")
        let report = ValidationFixture.validate(text)
        let warning = ValidationFixture.matching(report, .warning, "@context declares 'basis' but the script never reads bar.basis")
        #expect(warning.map { "\($0.line):\($0.column)" } == ["2:27"])
        #expect(report.warnings.count == 1)
    }

    @Test func theBarParameterMayHaveAnotherName() {
        let text = "function on_bar(c, b)\n  local x = b.weird + b.close\n  if c.positon > 0 then end\nend\n"
        let report = ValidationFixture.validate(text)
        #expect(ValidationFixture.matching(report, .warning, "b.weird is not a bar field").count == 1)
        #expect(ValidationFixture.matching(report, .warning, "ctx has no field 'positon' (did you mean 'position'?)").count == 1)
    }

    @Test func thePositionOfManagePositionHasItsOwnFields() {
        let text = """
        function detect_opportunity(ctx, bar) return nil end
        function filter_commitment(ctx, bar, signal) return true end
        function manage_position(ctx, bar, pos)
          if pos.bars_held > 3 and pos.entry_price > 0 and pos.entry > 0 then return "time" end
        end
        """
        let report = ValidationFixture.validate(text)
        let warnings = report.warnings
        #expect(warnings.count == 1)
        #expect(warnings.first?.message == "pos has no field 'entry'; fields: side, quantity, entry_price, unrealized_pnl, bars_held")
    }

    @Test func barAndCtxAreReadOnly() {
        let text = ValidationFixture.onBar(body: "bar.close = 1\nctx.cash = 5\nctx.state.count = (ctx.state.count or 0) + 1\nctx.state = {}")
        let report = ValidationFixture.validate(text)
        #expect(ValidationFixture.matching(report, .error, "bar is read-only").map(\.line) == [8])
        #expect(ValidationFixture.matching(report, .error, "ctx is read-only: keep your own data in ctx.state").map(\.line) == [9, 11])
    }

    @Test func everyContextFieldIsKnown() {
        let reads = ValidationPass.contextFields.map { "local _ = ctx.\($0)" }.joined(separator: "\n")
        let report = ValidationFixture.validate(ValidationFixture.onBar(body: reads))
        #expect(report.warnings.isEmpty, "\(ValidationFixture.dump(report))")
    }

    @Test func undeclaredParametersAreErrorsAndUnreadOnesAreNotes() {
        let text = ValidationFixture.onBar(header: "-- @param fast 10 [2, 100]\n-- @param slow 20 [5, 400]",
                                           body: "local a = params.fats\nlocal b = params[\"fast\"]\n-- params.nope\nlocal s = \"params.nope\"")
        let report = ValidationFixture.validate(text)
        let errors = report.errors
        #expect(errors.count == 1)
        #expect(errors.first?.message == "params.fats is not declared (did you mean 'fast'?); add '-- @param fats DEFAULT [MIN, MAX]' to the header (declared: fast, slow)")
        #expect(errors.first.map { "\($0.line):\($0.column)" } == "9:18")
        #expect(ValidationFixture.matching(report, .info, "@param slow is never read (params.slow)").map(\.line) == [3])
    }

    @Test func readingParamsAsATableSilencesTheUnreadNote() {
        let text = ValidationFixture.onBar(header: "-- @param fast 10 [2, 100]", body: "for k, v in pairs(params) do log(k, v) end")
        #expect(ValidationFixture.validate(text).diagnostics.filter { $0.severity == .info }.isEmpty)
    }
}

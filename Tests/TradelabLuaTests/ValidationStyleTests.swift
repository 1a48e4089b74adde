import Testing
@testable import TradelabLua

@Suite struct ValidationStyleTests {
    @Test(arguments: [
        ("function on_bar(ctx, bar) end", StrategyStyle.onBar),
        ("on_bar = function(ctx, bar) end", .onBar),
        ("function on_init(ctx) end\nfunction on_bar(ctx, bar) return 'hold' end", .onBar),
        ("function detect_opportunity(ctx, bar) end\nfunction filter_commitment(ctx, bar, s) return true end\n"
            + "manage_position = function(ctx, bar, p) end", .lifecycle),
    ])
    func detectsTheStyleFromTopLevelDefinitions(text: String, style: StrategyStyle) {
        let report = ValidationFixture.validate(text)
        #expect(report.style == style)
        #expect(report.isValid, "\(ValidationFixture.dump(report))")
    }

    @Test func lifecycleStyleNamesTheMissingCallbacks() {
        let report = ValidationFixture.validate("-- @name X\nfunction detect_opportunity(ctx, bar) end\n")
        #expect(report.style == .lifecycle)
        #expect(report.errors.count == 1)
        #expect(report.errors[0].line == 2)
        #expect(report.errors[0].message == "lifecycle style needs filter_commitment and manage_position as well (define "
                + "filter_commitment(ctx, bar, signal), manage_position(ctx, bar, position))")
    }

    @Test func bothStylesAreAnError() {
        let report = ValidationFixture.validate("function on_bar(ctx, bar) end\nfunction manage_position(ctx, bar, p) end\n")
        #expect(report.style == nil)
        #expect(ValidationFixture.matching(report, .error, "defines both on_bar (line 1) and lifecycle callbacks (manage_position)").count == 1)
    }

    @Test(arguments: [
        "x = 1",
        "-- function on_bar(ctx, bar) end",
        "s = [[ function on_bar(ctx, bar) end ]]",
        "function setup()\n  function on_bar(ctx, bar) end\nend",
        "t = {}\nfunction t.on_bar(ctx, bar) end",
    ])
    func withoutATopLevelCallbackTheScriptSaysWhatToDefine(text: String) {
        let report = ValidationFixture.validate(text)
        #expect(report.style == nil)
        #expect(ValidationFixture.matching(report, .error, "no strategy callback: define on_bar(ctx, bar)").count == 1)
    }

    @Test func aMisspeltCallbackIsPointedOut() {
        let report = ValidationFixture.validate("-- @name X\n\nfunction onbar(ctx, bar) end\n")
        let error = ValidationFixture.matching(report, .error, "'onbar' looks like a misspelt on_bar")
        #expect(error.first?.line == 3)
    }

    @Test(arguments: ["local function on_bar(ctx, bar) end", "local on_bar = function(ctx, bar) end"])
    func localCallbacksAreInvisibleToTheRuntime(text: String) {
        let report = ValidationFixture.validate(text)
        let error = ValidationFixture.matching(report, .error, "'local' hides on_bar from the runtime")
        #expect(error.first?.column == 1)
    }

    @Test func aSecondDefinitionIsAWarning() {
        let report = ValidationFixture.validate("function on_bar(ctx, bar) end\nfunction on_bar(ctx, bar) end\n")
        #expect(report.isValid)
        #expect(ValidationFixture.matching(report, .warning, "on_bar is defined twice (first on line 1)").first?.line == 2)
    }

    @Test func tagsAfterTheFirstCodeLineAreReportedAsIgnored() {
        let report = ValidationFixture.validate("-- @name X\nfunction on_bar(ctx, bar) end\n-- @param late 3 [1, 5]\n-- @todo keep\n")
        let warnings = ValidationFixture.matching(report, .warning, "@param after the first line of code (line 2) is ignored")
        #expect(warnings.map(\.line) == [3])
        #expect(report.warnings.count == 1)
    }
}

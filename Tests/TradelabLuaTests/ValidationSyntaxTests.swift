import Testing
@testable import TradelabLua

@Suite struct ValidationSyntaxTests {
    @Test(arguments: [
        ("function on_bar(ctx, bar)\n  if x then\n    return 1\nend\n", 5, 1, "'end' expected (to close 'function' at line 1) near <eof>"),
        ("function on_bar(ctx, bar)\n  local = 3\nend\n", 2, 9, "<name> expected near '='"),
        ("x = \"abc\nfunction on_bar() end\n", 1, 5, "unfinished string near '\"abc'"),
        ("-- @name T\n\nfunction on_bar(ctx, bar)\n  return 1 +\nend\n", 5, 1, "unexpected symbol near 'end'"),
        ("function on_bar(ctx, bar)\n  x = 3x\nend\n", 2, 7, "malformed number near '3x'"),
        ("\u{1b}Lua\u{54}\0", 1, 1, "attempt to load a binary chunk"),
    ])
    func compileErrorsCarryLuasLineAndTheColumnOfTheTokenNamed(text: String, line: Int, column: Int, message: String) {
        let report = ValidationFixture.validate(text)
        #expect(!report.isValid)
        #expect(report.style == nil)
        let errors = report.errors
        #expect(errors.count == 1, "\(ValidationFixture.dump(report))")
        #expect(errors.first?.line == line)
        #expect(errors.first?.column == column)
        #expect(errors.first?.message.contains(message) == true, "\(errors.first?.message ?? "")")
    }

    @Test func compilingNeverRunsTheScript() {
        // Run, these would hang or exit; compiled only, they are just a script without callbacks.
        let report = ValidationFixture.validate("while true do end\nos.exit(1)\nerror('boom')\n")
        #expect(report.errors.count == 1)
        #expect(report.errors.first?.message.contains("no strategy callback") == true)
    }

    @Test func headerDiagnosticsSurviveASyntaxError() {
        let report = ValidationFixture.validate("-- @risk extreme\nfunction on_bar(\n")
        #expect(report.errors.map(\.line) == [1, 3])
    }

    @Test func scriptsOverTheSizeLimitAreRejectedWithoutCompiling() {
        let text = "-- " + String(repeating: "x", count: StrategyValidator.maximumSize)
        let report = ValidationFixture.validate(text)
        #expect(report.errors.count == 1)
        #expect(report.errors.first?.message.contains("limit is 1048576 bytes") == true)
    }

    @Test func anEmptyScriptCompilesButHasNoCallback() {
        let report = ValidationFixture.validate("")
        #expect(report.errors.map(\.message).first?.hasPrefix("no strategy callback") == true)
    }
}

/// A large or malformed script, named briefly for the test report.
struct AdversarialScript: Sendable, CustomTestStringConvertible {
    var testDescription: String
    var text: String
    var isValid: Bool
}

@Suite struct ValidationAdversarialInputTests {
    static let scripts: [AdversarialScript] = [
        .init(testDescription: "200k '{' then 200k ')'",
              text: String(repeating: "{", count: 200_000) + String(repeating: ")", count: 200_000), isValid: false),
        .init(testDescription: "100k unclosed '('", text: "x = " + String(repeating: "(", count: 100_000) + "1", isValid: false),
        .init(testDescription: "a 300k-character tag", text: "-- @" + String(repeating: "x", count: 300_000) + "\nfunction on_bar(ctx, bar) end",
              isValid: true),
        .init(testDescription: "an unfinished 500k string", text: "s = \"" + String(repeating: "a", count: 500_000), isValid: false),
        .init(testDescription: "30k unclosed functions", text: String(repeating: "function f() ", count: 30_000), isValid: false),
    ]

    @Test(arguments: scripts)
    func malformedOrHugeInputIsValidatedQuickly(_ script: AdversarialScript) {
        let clock = ContinuousClock()
        var report: ValidationReport?
        let elapsed = clock.measure { report = StrategyValidator.validate(script.text) }
        #expect(report?.isValid == script.isValid)
        #expect(elapsed < .seconds(5), "took \(elapsed)")
    }
}

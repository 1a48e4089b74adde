import Testing
@testable import TradelabLua

@Suite struct MetadataParameterTests {
    static let metadata = StrategyMetadata.parse("""
    -- @param fast 10 [2, 100]
    -- @param slow 20 [5, 400]
    -- @param width 2.0 [0.5, 4.0]
    -- @param free 3
    """).metadata

    @Test func defaultsFillEveryDeclaredParameter() throws {
        #expect(try Self.metadata.resolveParameters([:]) == ["fast": 10, "slow": 20, "width": 2, "free": 3])
    }

    @Test func overridesReplaceDefaults() throws {
        let values = try Self.metadata.resolveParameters(["fast": 12, "width": 2.5, "free": -7])
        #expect(values == ["fast": 12, "slow": 20, "width": 2.5, "free": -7])
    }

    @Test func boundsAreInclusive() throws {
        #expect(try Self.metadata.resolveParameters(["fast": 2, "slow": 400])["slow"] == 400)
    }

    @Test(arguments: [
        (["fast": 1.0], "parameter 'fast' = 1 is below its minimum 2; allowed range [2, 100]"),
        (["fast": 101.0], "parameter 'fast' = 101 is above its maximum 100; allowed range [2, 100]"),
        (["fast": 12.5], "parameter 'fast' = 12.5 must be a whole number in [2, 100]"),
        (["width": 4.5], "parameter 'width' = 4.5 is above its maximum 4.0; allowed range [0.5, 4.0]"),
        (["fast": Double.nan], "parameter 'fast' = nan is not a finite number"),
        (["fats": 12.0], "unknown parameter 'fats' (did you mean 'fast'?); the script declares: fast, slow, width, free"),
        (["zeta": 1.0, "alpha": 1.0], "unknown parameter 'alpha'; the script declares: fast, slow, width, free"),
    ])
    func badOverridesNameTheParameterTheValueAndWhatIsAllowed(overrides: [String: Double], message: String) {
        #expect(throws: ParameterError.self) { try Self.metadata.resolveParameters(overrides) }
        do {
            _ = try Self.metadata.resolveParameters(overrides)
        } catch {
            #expect(error.description == message)
            #expect(error.parameter != nil)
        }
    }

    @Test func aScriptWithoutParametersSaysSo() {
        do {
            _ = try StrategyMetadata().resolveParameters(["fast": 1])
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "unknown parameter 'fast': the script declares no parameters (add '-- @param fast DEFAULT [MIN, MAX]' to its header)")
        }
    }
}

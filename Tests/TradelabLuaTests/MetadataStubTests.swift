import Testing
@testable import TradelabLua

@Suite struct MetadataStubTests {
    @Test func readsParamDeclarations() throws {
        let (metadata, _) = StrategyMetadata.parse("-- @param fast 10 [2, 100]\n-- @param slow 30 [5, 400]\n")
        #expect(metadata.params.map(\.name) == ["fast", "slow"])
        #expect(try metadata.resolveParameters(["fast": 12]) == ["fast": 12, "slow": 30])
        #expect(throws: ParameterError.self) { try metadata.resolveParameters(["fast": 1]) }
    }
}

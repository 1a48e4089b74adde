import Testing
@testable import TradelabCore

@Suite("Overfitting guards")
struct OverfittingTests {
    /// Return blocks of a run whose per-bar returns are `edge` plus noise.
    static func run(edge: Double, seed: UInt64, bars: Int = 3_200) -> ReturnBlocks {
        var g = SplitMix64(seed: seed)
        var blocks = ReturnBlocks(count: 16, bars: bars)
        for i in 1..<bars { blocks.add(edge + (g.nextUnit() - 0.5) * 0.01, at: i) }
        blocks.flush()
        return blocks
    }

    @Test func noiseOverfitsAboutHalfTheTimeAndARealEdgeDoesNot() throws {
        let noise = try #require(OverfittingProbability.cscv((0..<20).map { Self.run(edge: 0, seed: $0) }))
        #expect(noise.combinations == 12_870 && noise.blocks == 16 && noise.trials == 20)
        #expect(noise.probability > 0.3 && noise.probability < 0.8)
        let edged = try #require(OverfittingProbability.cscv([Self.run(edge: 0.002, seed: 99)] + (0..<20).map { Self.run(edge: 0, seed: $0) }))
        #expect(edged.probability == 0 && edged.medianLogit > 2)
        #expect(OverfittingProbability.cscv([Self.run(edge: 0, seed: 1)]) == nil)
    }

    @Test func manyTrialsMergeTheBlocksToStayWithinBudget() throws {
        let runs = (0..<200).map { Self.run(edge: 0, seed: $0, bars: 400) }
        let pbo = try #require(OverfittingProbability.cscv(runs))
        #expect(pbo.blocks == 8 && pbo.combinations == 70)     // 200 x 12,870 is past the budget
        var merged = runs[0].mergedInPairs()
        #expect(merged.count == 8 && merged.counts.reduce(0, +) == runs[0].counts.reduce(0, +))
        merged = merged.mergedInPairs()
        #expect(abs(merged.sums.reduce(0, +) - runs[0].sums.reduce(0, +)) < 1e-12)
    }

    @Test func aBlocksSharpeIsTheSharpeOfItsReturns() {
        var blocks = ReturnBlocks(count: 4, bars: 9)
        let r = [0.0, 0.01, -0.02, 0.03, 0.005, -0.01, 0.02, 0.0, 0.015]
        for i in 1..<9 { blocks.add(r[i], at: i) }
        blocks.flush()
        // Bars 1, 2 in block 0; 3, 4 in 1; 5, 6 in 2; 7, 8 in 3 (i * 4 / 9).
        #expect(blocks.counts == [2, 2, 2, 2])
        let picked = [r[1], r[2], r[5], r[6]]
        let mean = picked.reduce(0, +) / 4
        let sd = (picked.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3).squareRoot()
        #expect(abs(blocks.sharpe([true, false, true, false]) - mean / sd) < 1e-12)
    }

    @Test func stabilityComparesTheBestWithItsNeighbours() throws {
        let space = try ParameterSpace(ranges: [try .init(parsing: "fast=1:5:1"), try .init(parsing: "slow=10:50:10")])
        var trials: [(params: [String: Double], objective: Double?)] = []
        for f in 1...5 { for s in stride(from: 10, through: 50, by: 10) {
            trials.append((["fast": Double(f), "slow": Double(s)], f == 3 && s == 30 ? 2.0 : f == 2 && s == 20 ? nil : 1.0))
        } }
        let st = ParameterStability(best: ["fast": 3, "slow": 30], objective: 2, space: space, trials: trials)
        #expect(st.neighbours == 7 && st.mean == 1 && st.worst == 1 && st.fall == 0.5)   // 8 around, one not counted
        let corner = ParameterStability(best: ["fast": 1, "slow": 10], objective: 1, space: space, trials: trials)
        #expect(corner.neighbours == 2 && corner.fall == 0)                             // (2, 20) does not count
    }
}

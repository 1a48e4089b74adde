import Testing
@testable import TradelabCore

@Suite("Parameter search")
struct ParameterSearchTests {
    @Test func rangesReadStepsListsAndFloatsAndRefuseBadOnes() throws {
        #expect(try ParameterRange(parsing: "fast=5:50:5").values == [5, 10, 15, 20, 25, 30, 35, 40, 45, 50])
        #expect(try ParameterRange(parsing: "fast = 5, 10,20").values == [5, 10, 20])
        let x = try ParameterRange(parsing: "x=0.5:2.0:0.25")
        #expect(x.values == [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2] && !x.isInteger)
        #expect(try ParameterRange(parsing: "x=0.1:0.3:0.1").values == [0.1, 0.2, 0.3])   // no 0.30000000000000004
        #expect(try ParameterRange(parsing: "n=7").values == [7])
        for (text, words) in [("fast=50:5:5", "inverted"), ("fast=5:50:0", "step must be above 0"), ("fast=5:50", "three numbers"),
                              ("fast=a:5:1", "'a' is not a number"), ("=5", "must be name="), ("fast=1:1000000:1", "at most 100000")] {
            #expect { _ = try ParameterRange(parsing: text) } throws: { "\($0)".contains(words) }
        }
    }

    @Test func constraintsCompareParametersAndNumbers() throws {
        let c = try ParameterConstraint(parsing: "fast < slow")
        #expect(c.holds(for: ["fast": 5, "slow": 20]) && !c.holds(for: ["fast": 20, "slow": 20]))
        #expect(try ParameterConstraint(parsing: "fast<=slow").holds(for: ["fast": 20, "slow": 20]))
        #expect(try ParameterConstraint(parsing: "stop>=2").holds(for: ["stop": 2]))
        #expect(try ParameterConstraint(parsing: "fast!=slow").description == "fast!=slow")
        #expect { _ = try ParameterConstraint(parsing: "fast slow") } throws: { "\($0)".contains("must compare") }
        let ranges = [try ParameterRange(parsing: "fast=1:3:1")]
        #expect { _ = try ParameterSpace(ranges: ranges, constraints: [c]) } throws: { "\($0)".contains("names 'slow'") }
        #expect(try ParameterSpace(ranges: ranges, constraints: [c], fixed: ["slow": 3]).grid(fixed: ["slow": 3]).count == 2)
    }

    func space() throws -> ParameterSpace {
        try ParameterSpace(ranges: [try .init(parsing: "fast=5:50:5"), try .init(parsing: "slow=20:200:20")],
                           constraints: [try .init(parsing: "fast<slow")])
    }

    @Test func theGridIsEveryAllowedCombinationOnce() throws {
        let s = try space()
        #expect(s.combinations == 100)
        let grid = s.grid()
        let expected = (5...50).filter { $0 % 5 == 0 }.flatMap { f in (1...10).map { $0 * 20 }.filter { f < $0 }.map { [Double(f), Double($0)] } }
        #expect(grid.map { s.parameters($0) }.map { [$0["fast"]!, $0["slow"]!] } == expected)
        var evaluated: [[Int]] = []
        let log = ParameterSearch(space: s, method: .grid).run { points in evaluated += points; return points.map { _ in 1 } }
        #expect(log.points == grid && evaluated == grid)
    }

    @Test func randomDrawsAreDistinctSeededAndTheWholeGridWhenAskedForMore() throws {
        let s = try space()
        let run = { (seed: UInt64, n: Int) in ParameterSearch(space: s, method: .random(trials: n), seed: seed).run { $0.map { _ in 0 } }.points }
        let a = run(1, 30)
        #expect(a.count == 30 && Set(a).count == 30 && a.allSatisfy { s.allows(s.parameters($0)) })
        #expect(run(1, 30) == a && run(2, 30) != a)
        #expect(Set(run(1, 1000)) == Set(s.grid()))
    }

    @Test func geneticSearchFindsThePeakRepeatablyAndStopsEarly() throws {
        // A smooth objective with its peak at fast=25, slow=120 on a 100 x 100 grid.
        let s = try ParameterSpace(ranges: [try .init(parsing: "fast=1:100:1"), try .init(parsing: "slow=5:500:5")])
        let fitness: ([Int]) -> Double = { p in
            let v = s.parameters(p)
            return -pow2(v["fast"]! - 25) - pow2((v["slow"]! - 120) / 5)
        }
        let search = ParameterSearch(space: s, method: .genetic(GeneticOptions(population: 30, generations: 60, patience: 8)), seed: 5)
        let log = search.run { points in points.map(fitness) }
        let best = log.points.max { fitness($0) < fitness($1) }!
        #expect(s.parameters(best) == ["fast": 25, "slow": 120])
        #expect(log.points.count == Set(log.points).count, "a point is never evaluated twice")
        #expect(log.points.count < 2000, "a genetic search tries a fraction of the 10,000 combinations")
        #expect(log.generations.first?.generation == 1 && log.generations.last?.evaluated == log.points.count)
        let bests = log.generations.compactMap(\.best)
        #expect(zip(bests, bests.dropFirst()).allSatisfy { $0 <= $1 }, "the best so far never falls")
        #expect(log.stoppedEarly && log.generations.count < 60)
        #expect(search.run { $0.map(fitness) }.points == log.points, "the same seed gives the same trials in the same order")
    }

    @Test func anEvaluatorCanStopTheSearch() throws {
        let s = try space()
        let log = ParameterSearch(space: s, method: .genetic(GeneticOptions(population: 10, generations: 50))).run { _ in nil }
        #expect(log.cancelled && log.points.isEmpty)
    }

    @Test func aGridTooLargeOrBadGeneticOptionsAreRefusedBeforeAnyWork() throws {
        let big = try ParameterSpace(ranges: [try .init(parsing: "a=1:2000:1"), try .init(parsing: "b=1:1000:1")])
        #expect { try ParameterSearch(space: big, method: .grid).validate() } throws: { "\($0)".contains("more than 1000000") }
        try ParameterSearch(space: big, method: .random(trials: 50)).validate()
        #expect { try ParameterSearch(space: big, method: .genetic(GeneticOptions(population: 1))).validate() } throws: { "\($0)".contains("--population") }
        #expect { _ = try Objective(parsing: "happiness") } throws: { "\($0)".contains("unknown objective 'happiness'") }
        #expect(try Objective(parsing: "SharpeRatio") == .sharpe)
    }
}

private func pow2(_ x: Double) -> Double { x * x }

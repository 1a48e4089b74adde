import Testing
@testable import TradelabCore

@Suite("Monte Carlo")
struct MonteCarloTests {
    static let returns: [Double] = {
        var g = SplitMix64(seed: 4)
        return (0..<60).map { _ in (g.nextUnit() - 0.45) * 0.04 }
    }()

    @Test func shufflingKeepsTheFinalEquityAndBootstrapSpreadsIt() throws {
        let mc = try #require(MonteCarlo(initialEquity: 10_000, returns: Self.returns, simulations: 500, seed: 1).run())
        let compounded = Self.returns.reduce(10_000.0) { $0 * (1 + $1) }
        let f = mc.shuffle.finalEquity
        for p in [f.p5, f.p25, f.p50, f.p75, f.p95] { #expect(abs(p - compounded) <= 1e-9 * compounded) }
        #expect(abs(mc.actual.finalEquity - compounded) <= 1e-9 * compounded)
        #expect(mc.shuffle.probabilityOfLoss == (compounded < 10_000 ? 1 : 0))
        let b = mc.bootstrap.finalEquity
        #expect(b.p5 < b.p25 && b.p25 < b.p50 && b.p50 < b.p75 && b.p75 < b.p95)
        // Drawdowns are fractions at most 0, and some orders are worse than others.
        let d = mc.shuffle.maxDrawdown
        #expect(d.p5 <= d.p95 && d.p95 <= 0 && d.p5 < d.p95)
        #expect(mc.shuffle.histogram.counts.reduce(0, +) == 500 && mc.bootstrap.histogram.counts.reduce(0, +) == 500)
        #expect(mc.bootstrap.fan.trades == Array(1...60) && mc.bootstrap.fan.p50.count == 60)
        #expect(abs(mc.bootstrap.fan.p50.last! - b.p50) <= 1e-9 * b.p50)
    }

    @Test func theSameSeedGivesTheSamePathsAndAnotherDoesNot() throws {
        let a = MonteCarlo(initialEquity: 1_000, returns: Self.returns, simulations: 200, seed: 7).run()
        #expect(a == MonteCarlo(initialEquity: 1_000, returns: Self.returns, simulations: 200, seed: 7).run())
        #expect(a != MonteCarlo(initialEquity: 1_000, returns: Self.returns, simulations: 200, seed: 8).run())
        #expect(MonteCarlo(initialEquity: 1_000, returns: [], simulations: 200, seed: 7).run() == nil)
    }

    @Test func percentilesInterpolateAsNumpyDoes() {
        // numpy.percentile([1, 2, 3, 4, 10], [5, 25, 50, 75, 95]) = [1.2, 2, 3, 4, 8.8]
        let p = MonteCarlo.Percentiles(of: [10, 3, 1, 4, 2])
        #expect([p.p5, p.p25, p.p50, p.p75, p.p95].enumerated().allSatisfy { abs($1 - [1.2, 2, 3, 4, 8.8][$0]) < 1e-12 })
    }

    @Test func theBootstrapCentresOnTheTradesMeanGrowth() throws {
        // Bootstrap paths are sums of independent draws of log(1 + r): their median log growth
        // is near n × mean(log(1 + r)), within a few standard errors.
        let mc = try #require(MonteCarlo(initialEquity: 1, returns: Self.returns, simulations: 4_000, seed: 2).run())
        let logs = Self.returns.map { (1 + $0).logarithm }
        let mean = logs.reduce(0, +) / Double(logs.count)
        let sd = (logs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(logs.count)).squareRoot() * Double(logs.count).squareRoot()
        #expect(abs(mc.bootstrap.finalEquity.p50.logarithm - mean * Double(logs.count)) < 0.1 * sd)
    }
}

private extension Double {
    var logarithm: Double {
        // Natural log without Foundation: log(x) = 2 atanh((x - 1) / (x + 1)), as a series.
        let y = (self - 1) / (self + 1), y2 = y * y
        var term = y, sum = 0.0
        for k in stride(from: 1, through: 201, by: 2) {
            sum += term / Double(k)
            term *= y2
        }
        return 2 * sum
    }
}

import Testing
@testable import TradelabCore

/// A run that keeps only its metrics (``Backtester/metrics(of:on:options:)``) gives exactly the
/// metrics of a full run, whatever the account, and shared indicator columns change nothing.
@Suite("Metrics-only runs and shared indicators")
struct MetricsOnlyRunTests {
    static func accounts() -> [AccountConfig] {
        var short = AccountConfig()
        short.allowShort = true
        short.commissionRate = 0.001
        var stops = AccountConfig.backtestingPy(cash: 100_000, commission: 0.002)
        stops.stopLossFraction = 0.01
        stops.takeProfitFraction = 0.02
        var atClose = AccountConfig()
        atClose.fillMode = .close
        atClose.closeAtEnd = true
        var whole = AccountConfig()
        whole.fractional = false
        whole.initialCash = 50      // about half a unit: most entries are rejected
        return [AccountConfig(), short, stops, atClose, whole]
    }

    @Test(arguments: 0..<5)
    func aMetricsOnlyRunEqualsTheFullRunsMetrics(account: Int) throws {
        let bars = randomWalk(3_000, seed: 11)
        let backtester = Backtester(config: Self.accounts()[account])
        let options = MetricsOptions(riskFreeRate: 0.02)
        for strategy in [NativeStrategy.smaCross(SmaCross(fast: 5, slow: 20)), .buyAndHold()] {
            let full = try backtester.run(strategy, on: bars).metrics(options: options)
            #expect(try backtester.metrics(of: strategy, on: bars, options: options) == full)
        }
        let random = RandomStrategy(seed: 3, stops: true)
        #expect(try backtester.metrics(of: random, on: bars, options: options) == backtester.run(random, on: bars).metrics(options: options))
    }

    @Test func sharedColumnsGiveTheStreamingResultsAndAreComputedOncePerPeriod() throws {
        let bars = randomWalk(5_000, seed: 5)
        let cache = IndicatorCache(bars: bars)
        let backtester = Backtester(config: .backtestingPy(cash: 100_000, commission: 0.002))
        for (fast, slow) in [(5, 20), (5, 40), (10, 20), (10, 40)] {
            var shared = NativeStrategy.smaCross(SmaCross(fast: fast, slow: slow))
            shared.share(cache)
            let alone = NativeStrategy.smaCross(SmaCross(fast: fast, slow: slow))
            #expect(try backtester.run(shared, on: bars).trades == backtester.run(alone, on: bars).trades)
            #expect(try backtester.metrics(of: shared, on: bars) == backtester.run(alone, on: bars).metrics())
        }
        #expect(cache.computations == 4)    // sma 5, 10, 20, 40 (each run reads two, computed once)
        // Other bars are not covered: the strategy computes its own averages.
        let other = randomWalk(5_000, seed: 6)
        #expect(!cache.covers(other))
        var shared = NativeStrategy.smaCross(SmaCross(fast: 5, slow: 20))
        shared.share(cache)
        #expect(try backtester.run(shared, on: other).trades == backtester.run(NativeStrategy.smaCross(SmaCross(fast: 5, slow: 20)), on: other).trades)
    }

    @Test(arguments: 0..<5)
    func skippingQuietBarsChangesNoCurveTradeOrOrder(account: Int) throws {
        // Shared columns let sma-cross name its next crossover, so the loop skips the bars before
        // it: every column, trade and order must be those of the bar-by-bar run.
        let bars = randomWalk(4_000, seed: 21)
        let backtester = Backtester(config: Self.accounts()[account])
        var shared = NativeStrategy.smaCross(SmaCross(fast: 7, slow: 30))
        shared.share(IndicatorCache(bars: bars))
        let skipping = try backtester.run(shared, on: bars), alone = try backtester.run(NativeStrategy.smaCross(SmaCross(fast: 7, slow: 30)), on: bars)
        #expect(skipping.equity == alone.equity && skipping.trades == alone.trades && skipping.orders == alone.orders)
        #expect(!alone.trades.isEmpty)
    }

    @Test func aLiquidationInsideQuietBarsIsCaught() throws {
        // Short after the averages turn down, then the price gaps to three times itself: equity
        // falls below 0 between two crossovers, and the run must liquidate on that bar as the
        // bar-by-bar run does.
        var rows: [(Double, Double, Double, Double)] = []
        for k in 0..<60 { let p = 60 + Double(k); rows.append((p, p + 1, p - 1, p)) }
        for k in 0..<100 { let p = 120 - Double(k); rows.append((p, p + 1, p - 1, p)) }
        for _ in 0..<20 { rows.append((240, 241, 239, 240)) }      // the averages do not cross here
        let series = bars(rows)
        var config = AccountConfig()
        config.allowShort = true
        let backtester = Backtester(config: config)
        var shared = NativeStrategy.smaCross(SmaCross(fast: 20, slow: 60))
        shared.share(IndicatorCache(bars: series))
        let skipping = try backtester.run(shared, on: series), alone = try backtester.run(NativeStrategy.smaCross(SmaCross(fast: 20, slow: 60)), on: series)
        #expect(alone.trades.contains { $0.exitReason == .liquidated })
        #expect(skipping.equity == alone.equity && skipping.trades == alone.trades && skipping.orders == alone.orders)
    }

    @Test func theCacheKeepsToItsBudgetDroppingTheLeastRecentlyUsed() throws {
        let bars = randomWalk(1_000, seed: 1)
        let column = 1_000 * MemoryLayout<Double>.stride
        let cache = IndicatorCache(bars: bars, budgetBytes: 2 * column)
        let specs = try [10, 20, 30].map { try IndicatorSpec(name: "sma", parameters: [Double($0)]) }
        #expect(cache.values(of: specs[0]).map { $0.map(\.bitPattern) } == specs[0].compute(on: bars).map { $0.map(\.bitPattern) })
        _ = cache.values(of: specs[1])
        _ = cache.values(of: specs[0])          // 10 is now the most recent
        _ = cache.values(of: specs[2])          // drops 20
        _ = cache.values(of: specs[0])
        #expect(cache.computations == 3)
        _ = cache.values(of: specs[1])
        #expect(cache.computations == 4)
    }

    @Test func theSharpeRatioMatchesATwoPassComputation() {
        // A drifting curve: the mean return is not small beside its deviation.
        var g = SplitMix64(seed: 9)
        var equity = [10_000.0]
        for _ in 1..<20_000 { equity.append(equity.last! * (1.0005 + (g.nextUnit() - 0.5) * 0.0004)) }
        let m = PerformanceMetrics.compute(MetricsFixture.result(equity: equity, step: MetricsFixture.minute), options: MetricsOptions(periodsPerYear: 1))
        let r = equity.indices.dropFirst().map { equity[$0] / equity[$0 - 1] - 1 }
        let mean = r.reduce(0, +) / Double(r.count)
        let std = (r.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(r.count - 1)).squareRoot()
        #expect(isClose(m.sharpeRatio, mean / std, tolerance: 1e-10))
        #expect(isClose(m.annualizedVolatility, std, tolerance: 1e-10))
    }
}

import Testing
@testable import TradelabCore

@Suite struct RandomizedTestTests {
    let series = randomWalk(2_000, seed: 3)   // 2000 one-minute bars

    @Test func sameSeedDrawsSameWindowsAndOtherSeedDiffers() throws {
        let span = try TimeSpan(parsing: "2h")
        let a = try RandomizedTest(runs: 20, duration: span, seed: 9).windows(in: series)
        let b = try RandomizedTest(runs: 20, duration: span, seed: 9).windows(in: series)
        let c = try RandomizedTest(runs: 20, duration: span, seed: 10).windows(in: series)
        #expect(a == b)
        #expect(a != c)
    }

    @Test func everyWindowCoversExactlyTheDurationInsideTheData() throws {
        let windows = try RandomizedTest(runs: 200, duration: TimeSpan(parsing: "90m"), seed: 1).windows(in: series)
        for w in windows {
            #expect(w.count == 90)
            #expect(w.upperBound <= series.count)
        }
        // The last possible start is reachable in principle: starts spread over the whole range.
        #expect(windows.map(\.lowerBound).max()! > 1_500)
    }

    @Test func durationLongerThanTheDataIsAClearError() {
        #expect {
            _ = try RandomizedTest(runs: 3, duration: TimeSpan(parsing: "3d"), seed: 1).windows(in: series)
        } throws: { error in
            "\(error)".contains("no longer than the data")
        }
    }

    @Test func runsAreIndependentAndAggregatesAreConsistent() async throws {
        let test = RandomizedTest(runs: 12, duration: try TimeSpan(parsing: "4h"), seed: 5)
        let report = try await test.run(SmaCross(fast: 5, slow: 20), on: series, config: AccountConfig(), parallelism: 3)
        #expect(report.runs.map(\.run) == Array(1...12))
        // Each run equals a standalone backtest of its window.
        for run in report.runs.prefix(3) {
            let alone = try Backtester().run(SmaCross(fast: 5, slow: 20), on: series.slice(run.range))
            #expect(alone.finalEquity == run.result.finalEquity)
        }
        let returns = report.runs.map(\.totalReturn)
        #expect(abs(report.meanReturn - returns.reduce(0, +) / 12) < 1e-15)
        #expect(report.best!.totalReturn == returns.max())
        #expect(report.worst!.totalReturn == returns.min())
        #expect(report.profitableShare == Double(returns.filter { $0 > 0 }.count) / 12)
        #expect(report.combinedTrades.count == report.runs.reduce(0) { $0 + $1.result.trades.count })
    }
}

import Testing
import TradelabCore
@testable import TradelabData

@Suite struct MonthPlanTests {
    let jan = UTCMonth(year: 2024, month: 1)
    let later = ms(2024, 6, 1)                                   // "now", long after January

    func coverage(_ from: Int64, _ to: Int64) -> PartitionCoverage {
        PartitionCoverage(symbol: "BTCUSDT", interval: "1h", month: "2024-01", from: from, to: to, complete: false,
                          bars: 0, expectedBars: 0, file: nil, fetchedAt: 0)
    }

    @Test func anUncachedMonthFetchesTheRequestedPart() {
        let plan = MonthPlan(month: jan, requested: ms(2023, 12, 15)..<ms(2024, 1, 10), interval: .h1, now: later, cached: nil)
        #expect(plan.wanted == jan.start..<ms(2024, 1, 10))
        #expect(plan.fetch == [jan.start..<ms(2024, 1, 10)])
        #expect(plan.coverage == plan.wanted)
        #expect(!plan.isOpen)
    }

    @Test func aCoveredMonthNeedsNoRequest() {
        let plan = MonthPlan(month: jan, requested: ms(2024, 1, 5)..<ms(2024, 3, 1), interval: .h1, now: later, cached: coverage(jan.start, jan.end))
        #expect(plan.isCached)
        #expect(plan.coverage == jan.range)
    }

    @Test func aPartialMonthFetchesOnlyWhatIsMissingOnEitherSide() {
        let cached = coverage(ms(2024, 1, 10), ms(2024, 1, 20))
        let plan = MonthPlan(month: jan, requested: ms(2024, 1, 1)..<ms(2024, 2, 1), interval: .h1, now: later, cached: cached)
        #expect(plan.fetch == [ms(2024, 1, 1)..<ms(2024, 1, 10), ms(2024, 1, 20)..<ms(2024, 2, 1)])
        #expect(plan.coverage == jan.range)
        #expect(plan.kept == cached.covered)
    }

    @Test func aDisjointRequestAlsoFetchesTheHoleSoCoverageStaysOneSpan() {
        let plan = MonthPlan(month: jan, requested: ms(2024, 1, 25)..<ms(2024, 1, 28), interval: .h1, now: later,
                             cached: coverage(ms(2024, 1, 1), ms(2024, 1, 10)))
        #expect(plan.fetch == [ms(2024, 1, 10)..<ms(2024, 1, 28)])
        #expect(plan.coverage == ms(2024, 1, 1)..<ms(2024, 1, 28))
    }

    @Test func theOpenMonthIsAlwaysFetchedAgainUpToTheLastClosedBar() {
        let now = ms(2024, 1, 15, 12, 34) + 56_000
        let plan = MonthPlan(month: jan, requested: ms(2024, 1, 1)..<ms(2024, 2, 1), interval: .h1, now: now,
                             cached: coverage(ms(2024, 1, 1), ms(2024, 1, 15, 12)))
        #expect(plan.isOpen)
        #expect(plan.wanted == ms(2024, 1, 1)..<ms(2024, 1, 15, 12))  // the 12:00 bar is still forming
        #expect(plan.fetch == [plan.wanted])
        #expect(!MonthPlan.isComplete(plan.coverage, month: jan, interval: .h1, now: now))
    }

    @Test func aMonthIsCompleteOnceAllItsBarsHaveClosed() {
        #expect(MonthPlan.isComplete(jan.range, month: jan, interval: .h1, now: ms(2024, 2, 1)))
        #expect(!MonthPlan.isComplete(jan.range, month: jan, interval: .h1, now: ms(2024, 1, 31, 23, 59)))
        // A weekly bar opening Monday Jan 29 closes Feb 5: January is open until then.
        #expect(!MonthPlan.isComplete(jan.range, month: jan, interval: .w1, now: ms(2024, 2, 3)))
        #expect(MonthPlan.isComplete(jan.range, month: jan, interval: .w1, now: ms(2024, 2, 5)))
        #expect(!MonthPlan.isComplete(jan.start..<ms(2024, 1, 31), month: jan, interval: .h1, now: later))
    }

    @Test func aRangeInTheFutureWantsNothing() {
        let plan = MonthPlan(month: jan, requested: jan.range, interval: .d1, now: ms(2023, 12, 1), cached: nil)
        #expect(plan.wanted.isEmpty)
        #expect(plan.isCached)
    }
}

import Testing
@testable import TradelabCore

@Suite("Walk-forward plan")
struct WalkForwardPlanTests {
    @Test(arguments: [(1_000, 4, 0.7), (10_000, 5, 0.5), (977, 3, 0.8), (100, 1, 0.6), (70, 2, 0.6)])
    func outOfSampleWindowsTileTheEndAndInSampleOnesRoll(bars: Int, folds: Int, share: Double) throws {
        let plan = try WalkForwardPlan(bars: bars, folds: folds, inSample: share, anchored: false)
        #expect(plan.windows.count == folds)
        let oos = plan.windows[0].outOfSample.count
        #expect(plan.windows.last!.outOfSample.upperBound == bars)
        for (k, w) in plan.windows.enumerated() {
            #expect(w.inSample.upperBound == w.outOfSample.lowerBound)     // out of sample right after
            #expect(w.outOfSample.count == oos)
            #expect(w.inSample.count == plan.windows[0].inSample.count)    // rolling: equal lengths
            if k > 0 { #expect(w.outOfSample.lowerBound == plan.windows[k - 1].outOfSample.upperBound) }
        }
        // The in-sample share is the asked one, to within a bar per fold of rounding.
        let measured = Double(plan.windows[0].inSample.count) / Double(plan.windows[0].inSample.count + oos)
        #expect(abs(measured - share) <= Double(folds + 1) / Double(plan.windows[0].inSample.count + oos))
    }

    @Test func anchoredWindowsAllStartAtTheFirstBar() throws {
        let rolling = try WalkForwardPlan(bars: 1_000, folds: 4, inSample: 0.7, anchored: false)
        let anchored = try WalkForwardPlan(bars: 1_000, folds: 4, inSample: 0.7, anchored: true)
        #expect(anchored.windows.map(\.outOfSample) == rolling.windows.map(\.outOfSample))
        #expect(anchored.windows.allSatisfy { $0.inSample.lowerBound == 0 })
        #expect(anchored.windows.map(\.inSample.upperBound) == rolling.windows.map(\.inSample.upperBound))
        #expect(rolling.windows[0].inSample == 0..<372 && rolling.windows[0].outOfSample == 372..<529)
    }

    @Test func badOptionsAndTooFewBarsAreRefusedWithTheReason() {
        #expect(throws: OptimizeError("--walk-forward takes 1 to 1000 folds, was 0")) { try WalkForwardPlan(bars: 100, folds: 0, inSample: 0.7, anchored: false) }
        #expect(throws: OptimizeError("--in-sample must be a share strictly between 0 and 100%, was 100%")) {
            try WalkForwardPlan(bars: 100, folds: 2, inSample: 1, anchored: false)
        }
        #expect(throws: OptimizeError("10 bars are too few for 5 walk-forward folds at 70% in-sample")) {
            try WalkForwardPlan(bars: 10, folds: 5, inSample: 0.7, anchored: false)
        }
    }
}

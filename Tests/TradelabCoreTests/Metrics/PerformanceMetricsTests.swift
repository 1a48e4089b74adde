import Testing
@testable import TradelabCore

/// Hand-computed checks of each metric's definition and of the edge cases.
@Suite struct PerformanceMetricsTests {
    typealias F = MetricsFixture

    // MARK: Returns and annualization

    @Test func totalReturnAndCagrUseInitialCashAndTimeSpan() {
        // 121 after exactly two years of 365.25 days: CAGR 10%.
        let twoYears = Int64(2 * 365.25 * 86_400_000)
        let m = PerformanceMetrics.compute(F.result(equity: [100, 105, 121], timestamps: [0, twoYears / 2, twoYears]))
        #expect(isClose(m.totalReturn, 0.21))
        #expect(isClose(m.cagr, 0.1))
        #expect(m.durationMilliseconds == twoYears)
    }

    @Test func periodsPerYearIsObservedBarsPerYear() {
        // 1,441 one-minute bars = one day of 24/7 data: 1,440 intervals a day, 525,960 a year.
        let minutes = Array(repeating: 100.0, count: 1_441)
        #expect(isClose(PerformanceMetrics.compute(F.result(equity: minutes, step: F.minute)).periodsPerYear, 525_960))
        // 253 bars spread evenly over exactly one year: 252 a year.
        let year = Int64(365.25 * 86_400_000)
        let ts = (0...252).map { Int64($0) * year / 252 }
        #expect(isClose(PerformanceMetrics.compute(F.result(equity: Array(repeating: 1, count: 253), timestamps: ts)).periodsPerYear,
                        252, tolerance: 1e-9))
    }

    @Test func givenPeriodsPerYearOverridesObservedOne() {
        let m = PerformanceMetrics.compute(F.result(equity: [100, 110, 99]), options: MetricsOptions(periodsPerYear: 252))
        #expect(m.periodsPerYear == 252)
    }

    @Test func sharpeAndVolatilityMatchHandComputation() {
        // Returns +10%, -5%, +2%; 4 periods a year.
        let m = PerformanceMetrics.compute(F.result(equity: [100, 110, 104.5, 106.59]), options: MetricsOptions(periodsPerYear: 4))
        let mean = 0.07 / 3, std = 0.07505553499465135
        #expect(isClose(m.annualizedReturn, mean * 4))
        #expect(isClose(m.annualizedVolatility, std * 2))
        #expect(isClose(m.sharpeRatio, 0.6217618283580585))
    }

    @Test func sortinoUsesDownsideDeviationOverAllBars() {
        // Downside deviation = sqrt((0 + 0.05^2 + 0) / 3), not the std of the negative returns alone.
        let m = PerformanceMetrics.compute(F.result(equity: [100, 110, 104.5, 106.59]), options: MetricsOptions(periodsPerYear: 4))
        #expect(isClose(m.sortinoRatio, 1.616580753730952))
    }

    @Test func riskFreeRateIsSubtractedPerBar() {
        // 4% a year over 4 periods: 1% a bar.
        let m = PerformanceMetrics.compute(F.result(equity: [100, 110, 104.5, 106.59]),
                                           options: MetricsOptions(riskFreeRate: 0.04, periodsPerYear: 4))
        #expect(isClose(m.sharpeRatio, 0.355292473347462))
        #expect(isClose(m.sortinoRatio, 0.7698003589195009))
        // Sharpe = (annualized return - risk-free rate) / annualized volatility, exactly.
        #expect(isClose(m.sharpeRatio!, (m.annualizedReturn! - 0.04) / m.annualizedVolatility!))
    }

    @Test func sharpeIsNilWhenEquityIsConstant() {
        let m = PerformanceMetrics.compute(F.result(equity: Array(repeating: 1_000, count: 30)))
        #expect(m.annualizedVolatility == 0)
        #expect(m.sharpeRatio == nil)
        #expect(m.sortinoRatio == nil)
        #expect(m.annualizedReturn == 0)
    }

    @Test func sharpeIsNilWhenVolatilityIsOnlyRoundingNoise() {
        // Exactly 0.1% a bar in theory; the computed returns differ by ~1e-16.
        let equity = (0..<500).map { 1_000 * pow1001($0) }
        let m = PerformanceMetrics.compute(F.result(equity: equity))
        #expect(m.annualizedVolatility! < 1e-12)
        #expect(m.sharpeRatio == nil)
        #expect(m.sortinoRatio == nil)
        #expect(isClose(m.annualizedReturn, 0.001 * 365.25, tolerance: 1e-9))
    }

    private func pow1001(_ n: Int) -> Double { (0..<n).reduce(1.0) { acc, _ in acc * 1.001 } }

    // MARK: Drawdown

    @Test func maxDrawdownIsMeasuredFromRunningPeak() {
        let m = PerformanceMetrics.compute(F.result(equity: [100, 120, 90, 130, 117]))
        #expect(isClose(m.maxDrawdown, -0.25))
        #expect(m.peakEquity == 130)
        #expect(isClose(m.calmarRatio, m.cagr! / 0.25))
    }

    @Test func maxDrawdownDurationEndsAtRecovery() {
        // Peak 120 at bar 1, back to 120 at bar 4.
        let m = PerformanceMetrics.compute(F.result(equity: [100, 120, 90, 110, 120, 125], step: F.hour))
        #expect(m.maxDrawdownDurationBars == 3)
        #expect(m.maxDrawdownDurationMilliseconds == 3 * F.hour)
    }

    @Test func maxDrawdownDurationRunsToEndWhenNeverRecovered() {
        // A 1-bar drawdown that recovers, then from the peak 130 at bar 3 the equity never gets back.
        let m = PerformanceMetrics.compute(F.result(equity: [100, 95, 110, 130, 100, 120, 129], step: F.hour))
        #expect(m.maxDrawdownDurationBars == 3)
        #expect(m.maxDrawdownDurationMilliseconds == 3 * F.hour)
        #expect(isClose(m.maxDrawdown, 100.0 / 130 - 1))
    }

    @Test func maxDrawdownDurationPicksLongestInTimeAndReportsItsBars() {
        // Episode A: 2 bars over a weekend (Fri -> Mon, 3 days); episode B: 3 bars of 1 hour each.
        let fri = F.jan1st2024 + 4 * F.day
        let ts = [fri, fri + F.hour, fri + 3 * F.day, fri + 3 * F.day + F.hour, fri + 3 * F.day + 2 * F.hour,
                  fri + 3 * F.day + 3 * F.hour, fri + 3 * F.day + 4 * F.hour]
        let m = PerformanceMetrics.compute(F.result(equity: [100, 90, 100, 95, 96, 97, 101], timestamps: ts))
        #expect(m.maxDrawdownDurationMilliseconds == 3 * F.day)
        #expect(m.maxDrawdownDurationBars == 2)
    }

    @Test func flatEquityAtPeakIsNotADrawdown() {
        let m = PerformanceMetrics.compute(F.result(equity: [100, 100, 100, 101, 101]))
        #expect(m.maxDrawdown == 0)
        #expect(m.maxDrawdownDurationBars == 0)
        #expect(m.maxDrawdownDurationMilliseconds == 0)
        #expect(m.calmarRatio == nil)
    }

    // MARK: Exposure, buy and hold, commissions

    @Test func exposureCountsBarsWithNonZeroPosition() {
        let m = PerformanceMetrics.compute(F.result(equity: [100, 100, 100, 100], position: [0, 1, -2, 0]))
        #expect(m.exposure == 0.5)
    }

    @Test func buyAndHoldStartsAtFirstTradableBar() {
        let r = F.result(equity: [100, 100, 100], closes: [50, 100, 150], firstTradableIndex: 1)
        #expect(isClose(PerformanceMetrics.compute(r).buyAndHoldReturn, 0.5))
        let outOfRange = F.result(equity: [100, 100, 100], closes: [50, 100, 150], firstTradableIndex: 3)
        #expect(PerformanceMetrics.compute(outOfRange).buyAndHoldReturn == nil)
    }

    @Test func commissionsIncludeOpenTradesEntryFees() {
        let trades = [F.trade(pnl: 10, fees: 2), F.trade(pnl: -5, fees: 3), F.trade(pnl: 999, fees: 1.5, open: true)]
        let m = PerformanceMetrics.compute(F.result(equity: [100, 101], trades: trades))
        #expect(m.commissions == 6.5)
    }

    // MARK: Trades

    @Test func tradeStatisticsUseClosedTradesOnly() {
        let trades = [F.trade(pnl: 100, return: 0.10), F.trade(pnl: -50, return: -0.05), F.trade(pnl: 0, return: -0.001),
                      F.trade(pnl: 30, return: 0.03), F.trade(pnl: 999, return: 9, open: true)]
        let m = PerformanceMetrics.compute(F.result(equity: [100, 101], trades: trades))
        #expect(m.tradeCount == 4)
        #expect(m.openTradeCount == 1)
        #expect(m.winningTradeCount == 2)
        #expect(m.losingTradeCount == 1)
        #expect(m.winRate == 0.5)
        #expect(m.grossProfit == 130)
        #expect(m.grossLoss == -50)
        #expect(isClose(m.profitFactor, 2.6))
        #expect(m.averageWin == 65)
        #expect(m.averageLoss == -50)
        #expect(isClose(m.averageWinReturn, 0.065))
        #expect(isClose(m.averageLossReturn, -0.05))
        #expect(m.largestWin == 100)
        #expect(m.largestLoss == -50)
        #expect(m.expectancy == 20)
        #expect(isClose(m.expectancyReturn, (0.10 - 0.05 - 0.001 + 0.03) / 4))
        #expect(m.bestTradeReturn == 0.10)
        #expect(m.worstTradeReturn == -0.05)
        #expect(isClose(m.sqn, 0.6377928041432807))
    }

    @Test func profitFactorIsInfiniteWithoutLosses() {
        let m = PerformanceMetrics.compute(F.result(equity: [100, 101], trades: [F.trade(pnl: 5), F.trade(pnl: 0)]))
        #expect(m.profitFactor == .infinity)
        #expect(m.averageLoss == nil)
        #expect(m.largestLoss == nil)
    }

    @Test func profitFactorIsZeroWithoutWins() {
        let m = PerformanceMetrics.compute(F.result(equity: [100, 99], trades: [F.trade(pnl: -5)]))
        #expect(m.profitFactor == 0)
        #expect(m.winRate == 0)
    }

    @Test func profitFactorIsNilWithoutWinsOrLosses() {
        #expect(PerformanceMetrics.compute(F.result(equity: [100, 100])).profitFactor == nil)
        #expect(PerformanceMetrics.compute(F.result(equity: [100, 100], trades: [F.trade(pnl: 0)])).profitFactor == nil)
    }

    @Test func tradeStatisticsAreNilWithoutClosedTrades() {
        let m = PerformanceMetrics.compute(F.result(equity: [100, 100], trades: [F.trade(pnl: 7, fees: 1, open: true)]))
        #expect(m.tradeCount == 0)
        #expect(m.openTradeCount == 1)
        #expect(m.winRate == nil && m.expectancy == nil && m.expectancyReturn == nil && m.sqn == nil)
        #expect(m.bestTradeReturn == nil && m.worstTradeReturn == nil && m.averageWin == nil)
        #expect(m.averageHoldBars == nil && m.longestHoldMilliseconds == nil && m.longestHoldBars == nil)
        #expect(m.grossProfit == 0 && m.grossLoss == 0)
    }

    @Test func sqnIsNilWithOneTradeOrIdenticalPnl() {
        #expect(PerformanceMetrics.compute(F.result(equity: [1, 1], trades: [F.trade(pnl: 5)])).sqn == nil)
        let same = [F.trade(pnl: 0.1 + 0.2), F.trade(pnl: 0.3), F.trade(pnl: 0.3)]  // 0.1 + 0.2 != 0.3 by 5.5e-17
        #expect(PerformanceMetrics.compute(F.result(equity: [1, 1], trades: same)).sqn == nil)
    }

    @Test func holdTimesUseClosedTradesAndLongestIsOneTrade() {
        let trades = [
            F.trade(pnl: 1, entryIndex: 0, exitIndex: 2, entryTime: 0, exitTime: 2 * F.hour),
            F.trade(pnl: 1, entryIndex: 10, exitIndex: 13, entryTime: 10 * F.hour, exitTime: 60 * F.hour),  // weekend inside
            F.trade(pnl: 1, entryIndex: 20, exitIndex: 30, entryTime: 70 * F.hour, exitTime: 80 * F.hour),
            F.trade(pnl: 1, entryIndex: 0, exitIndex: 99, entryTime: 0, exitTime: 99 * F.hour, open: true),
        ]
        let m = PerformanceMetrics.compute(F.result(equity: [1, 1], trades: trades))
        #expect(m.averageHoldBars == 5)
        #expect(m.averageHoldMilliseconds == Double(62 * F.hour) / 3)
        #expect(m.longestHoldMilliseconds == 50 * F.hour)
        #expect(m.longestHoldBars == 3)
    }

    // MARK: Monthly returns

    @Test func monthlyReturnsCompareMonthEndsStartingFromInitialCash() {
        let jan15 = F.jan1st2024 + 14 * F.day
        let feb1 = F.jan1st2024 + 31 * F.day
        let mar10 = feb1 + 38 * F.day  // 2024 is a leap year: Feb has 29 days
        let may2 = mar10 + 53 * F.day  // no bar in April
        let ts = [jan15, feb1 - 1, feb1, mar10, may2]
        let m = PerformanceMetrics.compute(F.result(equity: [101, 110, 121, 99, 110], timestamps: ts, initialCash: 100))
        let months = m.monthlyReturns
        #expect(months.map(\.year) == [2024, 2024, 2024, 2024])
        #expect(months.map(\.month) == [1, 2, 3, 5])
        #expect(months.map(\.endEquity) == [110, 121, 99, 110])
        #expect(isClose(months[0].return, 0.10))
        #expect(isClose(months[1].return, 0.10))
        #expect(isClose(months[2].return, 99.0 / 121 - 1))
        #expect(isClose(months[3].return, 110.0 / 99 - 1))
    }

    @Test func monthBoundariesAreUTCAndCrossYears() {
        let dec31 = F.jan1st2024 - F.day
        let ts = [dec31, dec31 + 23 * F.hour + 59 * F.minute, F.jan1st2024]
        let months = PerformanceMetrics.compute(F.result(equity: [100, 105, 106], timestamps: ts)).monthlyReturns
        #expect(months.map { [$0.year, $0.month] } == [[2023, 12], [2024, 1]])
        #expect(isClose(months[1].return, 106.0 / 105 - 1))
    }

    // MARK: Edge cases

    @Test func equityHittingZeroSkipsReturnsFromZeroBase() {
        let m = PerformanceMetrics.compute(F.result(equity: [100, 50, 0, 0, 0]), options: MetricsOptions(periodsPerYear: 1))
        // Returns: -50%, -100%; none from the zero base.
        #expect(isClose(m.annualizedReturn, -0.75))
        #expect(isClose(m.annualizedVolatility, (0.125).squareRoot()))
        #expect(m.maxDrawdown == -1)
        #expect(m.cagr == -1)
        #expect(m.totalReturn == -1)
        #expect(m.maxDrawdownDurationBars == 4)
        #expect(m.calmarRatio == -1)
    }

    @Test func monthlyReturnIsNilAfterEquityReachesZero() {
        let ts = [F.jan1st2024, F.jan1st2024 + 40 * F.day, F.jan1st2024 + 70 * F.day]
        let months = PerformanceMetrics.compute(F.result(equity: [100, 0, 0], timestamps: ts)).monthlyReturns
        #expect(months.map(\.return) == [0, -1, nil])
    }

    @Test func oneBarHasNoAnnualizedMetrics() {
        let m = PerformanceMetrics.compute(F.result(equity: [105], position: [1], initialCash: 100))
        #expect(m.barCount == 1)
        #expect(isClose(m.totalReturn, 0.05))
        #expect(m.periodsPerYear == nil && m.cagr == nil && m.annualizedReturn == nil)
        #expect(m.annualizedVolatility == nil && m.sharpeRatio == nil && m.sortinoRatio == nil && m.calmarRatio == nil)
        #expect(m.durationMilliseconds == 0)
        #expect(m.exposure == 1)
        #expect(m.monthlyReturns.count == 1)
    }

    @Test func emptyCurveReportsInitialCash() {
        let m = PerformanceMetrics.compute(F.result(equity: [], initialCash: 500))
        #expect(m.barCount == 0 && m.start == nil && m.end == nil)
        #expect(m.finalEquity == 500 && m.peakEquity == 500 && m.totalReturn == 0)
        #expect(m.monthlyReturns.isEmpty && m.exposure == 0 && m.maxDrawdown == 0)
        #expect(m.table().count > 0)
    }

    @Test func twoBarsGiveReturnButNoVolatility() {
        let m = PerformanceMetrics.compute(F.result(equity: [100, 110]), options: MetricsOptions(periodsPerYear: 12))
        #expect(isClose(m.annualizedReturn, 1.2))
        #expect(m.annualizedVolatility == nil)
        #expect(m.sharpeRatio == nil)
        #expect(m.sortinoRatio == nil)  // no bar below the risk-free rate
    }

    @Test func resultExtensionMatchesCompute() {
        let r = F.result(equity: [100, 90, 95], trades: [F.trade(pnl: -5)])
        #expect(r.metrics(options: MetricsOptions(riskFreeRate: 0.01)) == PerformanceMetrics.compute(r, options: MetricsOptions(riskFreeRate: 0.01)))
    }

    // MARK: Options

    static let invalidOptions: [(Double, Double?)] = [(.nan, nil), (-1, nil), (0, 0), (0, -252), (0, .infinity)]

    @Test(arguments: invalidOptions)
    func invalidOptionsAreRejectedNamingTheSetting(rate: Double, periods: Double?) {
        #expect(throws: ConfigError.self) { try MetricsOptions(riskFreeRate: rate, periodsPerYear: periods).validate() }
    }

    @Test func defaultOptionsAreValid() throws {
        try MetricsOptions().validate()
        #expect(MetricsOptions().riskFreeRate == 0)
        #expect(MetricsOptions().periodsPerYear == nil)
    }
}

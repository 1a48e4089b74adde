extension PerformanceMetrics {
    /// The metrics as labelled text rows for a report, in a fixed order.
    ///
    /// Fractions are shown as percentages with 2 decimals ("12.34%"), ratios with 2 decimals,
    /// cash with 2 decimals and thousands separators, durations as "3d 4h", times as
    /// "2024-01-31 12:05 UTC". Undefined metrics show "n/a"; an infinite profit factor "inf".
    ///
    /// ```swift
    /// for row in metrics.table() { print("\(row.label): \(row.value)") }
    /// ```
    /// - Returns: `(label, value)` pairs.
    public func table() -> [(label: String, value: String)] {
        typealias F = MetricsFormat
        func withReturn(_ cash: Double?, _ fraction: Double?) -> String {
            guard let cash else { return F.missing }
            return "\(F.cash(cash)) (\(F.percent(fraction)))"
        }
        func withBars(_ ms: Double?, _ bars: String) -> String {
            guard ms != nil else { return F.missing }
            return "\(F.duration(milliseconds: ms)) (\(bars) bars)"
        }
        let drawdownDuration = maxDrawdownDurationBars == 0 && maxDrawdownDurationMilliseconds == 0
            ? "0s"
            : withBars(Double(maxDrawdownDurationMilliseconds), F.count(maxDrawdownDurationBars))
        return [
            ("Start", F.date(start)),
            ("End", F.date(end)),
            ("Duration", F.duration(milliseconds: durationMilliseconds)),
            ("Bars", F.count(barCount)),
            ("Periods per year", periodsPerYear.map { F.fixed($0) } ?? F.missing),
            ("Exposure time", F.percent(exposure)),
            ("Initial equity", F.cash(initialEquity)),
            ("Final equity", F.cash(finalEquity)),
            ("Peak equity", F.cash(peakEquity)),
            ("Total return", F.percent(totalReturn)),
            ("Buy & hold return", F.percent(buyAndHoldReturn)),
            ("CAGR", F.percent(cagr)),
            ("Return (ann., arithmetic)", F.percent(annualizedReturn)),
            ("Volatility (ann.)", F.percent(annualizedVolatility)),
            ("Risk-free rate (ann.)", F.percent(riskFreeRate)),
            ("Sharpe ratio", F.ratio(sharpeRatio)),
            ("Sortino ratio", F.ratio(sortinoRatio)),
            ("Calmar ratio", F.ratio(calmarRatio)),
            ("Max. drawdown", F.percent(maxDrawdown)),
            ("Max. drawdown duration", drawdownDuration),
            ("Trades (closed)", F.count(tradeCount)),
            ("Open trades", F.count(openTradeCount)),
            ("Win rate", F.percent(winRate)),
            ("Best trade", F.percent(bestTradeReturn)),
            ("Worst trade", F.percent(worstTradeReturn)),
            ("Avg. win", withReturn(averageWin, averageWinReturn)),
            ("Avg. loss", withReturn(averageLoss, averageLossReturn)),
            ("Largest win", F.cash(largestWin)),
            ("Largest loss", F.cash(largestLoss)),
            ("Profit factor", F.ratio(profitFactor)),
            ("Expectancy", withReturn(expectancy, expectancyReturn)),
            ("SQN", F.ratio(sqn)),
            ("Avg. hold", withBars(averageHoldMilliseconds, averageHoldBars.map { F.fixed($0, decimals: 1) } ?? F.missing)),
            ("Longest hold", withBars(longestHoldMilliseconds.map(Double.init), longestHoldBars.map(F.count) ?? F.missing)),
            ("Commissions", F.cash(commissions)),
        ]
    }

    /// The monthly returns as a year-by-month grid of text, for a report.
    ///
    /// The first row is the header `["Year", "Jan", ..., "Dec", "Year"]`; then one row per year
    /// with each month's return as a percentage ("1.23%"), "" for a month without bars, "n/a" for
    /// an undefined return, and the year's compounded return, `Π(1 + r) - 1`, in the last column.
    /// - Returns: Rows of 14 cells; just the header when there are no months.
    public func monthlyReturnsTable() -> [[String]] {
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        var rows = [["Year"] + names + ["Year"]]
        var i = 0
        while i < monthlyReturns.count {
            let year = monthlyReturns[i].year
            var cells = Array(repeating: "", count: 12)
            var compounded: Double? = 1
            while i < monthlyReturns.count, monthlyReturns[i].year == year {
                let row = monthlyReturns[i]
                if (1...12).contains(row.month) { cells[row.month - 1] = MetricsFormat.percent(row.return) }
                compounded = compounded.flatMap { c in row.return.map { c * (1 + $0) } }
                i += 1
            }
            rows.append([String(year)] + cells + [MetricsFormat.percent(compounded.map { $0 - 1 })])
        }
        return rows
    }
}

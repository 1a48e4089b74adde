#if canImport(Glibc)
import Glibc  // pow (libm only; TradelabCore does not use Foundation)
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension PerformanceMetrics {
    /// Standard deviations at or below this (per-bar returns, dimensionless) are treated as zero:
    /// they are rounding noise, e.g. from an equity curve growing by exactly 1% a bar.
    static let zeroReturnDeviation = 1e-12
    /// Relative threshold for a numerically zero std of trade pnl (× the largest |pnl|).
    static let zeroPnlDeviation = 1e-12

    /// Computes the metrics of a backtest.
    ///
    /// - Parameters:
    ///   - result: The backtest: equity curve (equity and position columns, timestamps), trades,
    ///     closes, first tradable index and initial cash.
    ///   - options: Risk-free rate and annualization; call ``MetricsOptions/validate()`` first on
    ///     user input.
    /// - Returns: The metrics; undefined ones are nil (see each property).
    /// - Complexity: O(bars + trades), one pass over the equity curve and one over the trades,
    ///   no allocation per bar (only one array element per calendar month).
    /// - Precondition: `result.config.initialCash` is finite and positive, `options` are valid.
    public static func compute(_ result: BacktestResult, options: MetricsOptions = .init()) -> PerformanceMetrics {
        let initial = result.config.initialCash
        precondition(initial.isFinite && initial > 0, "invalid initial cash '\(initial)': expected a positive amount")
        do { try options.validate() } catch { preconditionFailure(error.description) }

        var m = PerformanceMetrics()
        m.riskFreeRate = options.riskFreeRate
        m.initialEquity = initial
        m.periodsPerYear = options.periodsPerYear ?? MetricsOptions.observedPeriodsPerYear(result.equity.timestamps)
        m.applyEquityCurve(result.equity, initialCash: initial)
        m.applyTrades(result.trades)
        m.buyAndHoldReturn = buyAndHold(closes: result.closes, from: result.firstTradableIndex)
        return m
    }

    /// `closes[last] / closes[from] - 1`, nil when `from` is out of range or that close is `<= 0`.
    static func buyAndHold(closes: [Double], from index: Int) -> Double? {
        guard closes.indices.contains(index), let last = closes.last, closes[index] > 0 else { return nil }
        return last / closes[index] - 1
    }

    /// Fills the equity-curve metrics in one pass: returns (Welford mean and variance, downside
    /// deviation), drawdown depth and duration, exposure, peak, and the monthly table.
    private mutating func applyEquityCurve(_ curve: EquityCurve, initialCash: Double) {
        let n = curve.count
        barCount = n
        finalEquity = initialCash
        peakEquity = initialCash
        totalReturn = 0
        guard n > 0 else { return }

        let ts = curve.timestamps, eq = curve.equity, pos = curve.position
        start = ts[0]
        end = ts[n - 1]
        durationMilliseconds = n > 1 ? ts[n - 1] - ts[0] : 0
        let rfPerBar = periodsPerYear.map { riskFreeRate / $0 } ?? 0

        // Returns.
        var returnCount = 0
        var mean = 0.0, m2 = 0.0, downsideSquares = 0.0
        // Drawdown: running peak, whether equity is below it, the longest episode so far.
        var peak = eq[0], peakIndex = 0, below = false
        var deepest = 0.0, longestMs: Int64 = 0, longestBars = 0
        func closeEpisode(at i: Int) {
            let ms = ts[i] - ts[peakIndex], bars = i - peakIndex
            if ms > longestMs || (ms == longestMs && bars > longestBars) {
                longestMs = ms
                longestBars = bars
            }
        }
        // Exposure and months.
        var exposed = 0
        var month = CivilDate(utcMilliseconds: ts[0])
        var nextMonth = month.startOfNextMonth
        var previousMonthEnd = initialCash
        var months: [MonthlyReturn] = []
        func closeMonth(endEquity: Double) {
            let r: Double? = previousMonthEnd > 0 ? endEquity / previousMonthEnd - 1 : nil
            months.append(MonthlyReturn(year: Int(month.year), month: month.month, return: r, endEquity: endEquity))
            previousMonthEnd = endEquity
        }

        for i in 0..<n {
            let e = eq[i]
            if i > 0 {
                let previous = eq[i - 1]
                if previous > 0 {
                    let r = e / previous - 1
                    returnCount += 1
                    let delta = r - mean
                    mean += delta / Double(returnCount)
                    m2 += delta * (r - mean)
                    let excess = r - rfPerBar
                    if excess < 0 { downsideSquares += excess * excess }
                }
                if ts[i] >= nextMonth {
                    closeMonth(endEquity: previous)
                    month = CivilDate(utcMilliseconds: ts[i])
                    nextMonth = month.startOfNextMonth
                }
            }
            if e >= peak {
                if below { closeEpisode(at: i) }
                peak = e
                peakIndex = i
                below = false
            } else {
                below = true
                if peak > 0 {
                    let dd = e / peak - 1
                    if dd < deepest { deepest = dd }
                }
            }
            if pos[i] != 0 { exposed += 1 }
        }
        if below { closeEpisode(at: n - 1) }
        closeMonth(endEquity: eq[n - 1])

        finalEquity = eq[n - 1]
        peakEquity = peak
        totalReturn = finalEquity / initialCash - 1
        maxDrawdown = deepest
        maxDrawdownDurationMilliseconds = longestMs
        maxDrawdownDurationBars = longestBars
        exposure = Double(exposed) / Double(n)
        monthlyReturns = months

        if durationMilliseconds > 0 {
            let years = Double(durationMilliseconds) / MetricsOptions.millisecondsPerYear
            cagr = finalEquity > 0 ? pow(finalEquity / initialCash, 1 / years) - 1 : -1
        }
        if let ppy = periodsPerYear, returnCount > 0 {
            annualizedReturn = mean * ppy
            let downside = (downsideSquares / Double(returnCount)).squareRoot()
            if downside > Self.zeroReturnDeviation {
                sortinoRatio = (mean - rfPerBar) / downside * ppy.squareRoot()
            }
            if returnCount > 1 {
                let std = (m2 / Double(returnCount - 1)).squareRoot()
                annualizedVolatility = std * ppy.squareRoot()
                if std > Self.zeroReturnDeviation {
                    sharpeRatio = (mean - rfPerBar) / std * ppy.squareRoot()
                }
            }
        }
        if let cagr, maxDrawdown < 0 {
            calmarRatio = cagr / -maxDrawdown
        }
    }

    /// Fills the trade metrics in one pass over the trades.
    private mutating func applyTrades(_ trades: [Trade]) {
        var n = 0, wins = 0, losses = 0
        var pnlMean = 0.0, pnlM2 = 0.0, maxAbsPnl = 0.0
        var returnSum = 0.0, winReturnSum = 0.0, lossReturnSum = 0.0
        var profit = 0.0, loss = 0.0
        var best = -Double.infinity, worst = Double.infinity
        var biggestWin = -Double.infinity, biggestLoss = Double.infinity
        var holdBarsSum = 0, holdMsSum = 0.0
        var longestMs = Int64.min, longestBars = 0
        var fees = 0.0, open = 0

        for t in trades {
            fees += t.fees
            if t.isOpen {
                open += 1
                continue
            }
            n += 1
            let pnl = t.pnl, ret = t.pnlPercent
            let delta = pnl - pnlMean
            pnlMean += delta / Double(n)
            pnlM2 += delta * (pnl - pnlMean)
            maxAbsPnl = max(maxAbsPnl, abs(pnl))
            returnSum += ret
            best = max(best, ret)
            worst = min(worst, ret)
            if pnl > 0 {
                wins += 1
                profit += pnl
                winReturnSum += ret
                biggestWin = max(biggestWin, pnl)
            } else if pnl < 0 {
                losses += 1
                loss += pnl
                lossReturnSum += ret
                biggestLoss = min(biggestLoss, pnl)
            }
            holdBarsSum += t.barsHeld
            let ms = t.exitTime - t.entryTime
            holdMsSum += Double(ms)
            if ms > longestMs || (ms == longestMs && t.barsHeld > longestBars) {
                longestMs = ms
                longestBars = t.barsHeld
            }
        }

        commissions = fees
        openTradeCount = open
        tradeCount = n
        winningTradeCount = wins
        losingTradeCount = losses
        grossProfit = profit
        grossLoss = loss
        if losses > 0 {
            profitFactor = profit / -loss
        } else if wins > 0 {
            profitFactor = .infinity
        }
        if wins > 0 {
            averageWin = profit / Double(wins)
            averageWinReturn = winReturnSum / Double(wins)
            largestWin = biggestWin
        }
        if losses > 0 {
            averageLoss = loss / Double(losses)
            averageLossReturn = lossReturnSum / Double(losses)
            largestLoss = biggestLoss
        }
        guard n > 0 else { return }
        let count = Double(n)
        winRate = Double(wins) / count
        expectancy = pnlMean
        expectancyReturn = returnSum / count
        bestTradeReturn = best
        worstTradeReturn = worst
        averageHoldBars = Double(holdBarsSum) / count
        averageHoldMilliseconds = holdMsSum / count
        longestHoldMilliseconds = longestMs
        longestHoldBars = longestBars
        if n > 1 {
            let std = (pnlM2 / (count - 1)).squareRoot()
            if std > Self.zeroPnlDeviation * maxAbsPnl, std > 0 {
                sqn = count.squareRoot() * pnlMean / std
            }
        }
    }
}

extension BacktestResult {
    /// The performance metrics of this result; see ``PerformanceMetrics/compute(_:options:)``.
    /// - Complexity: O(bars + trades).
    public func metrics(options: MetricsOptions = .init()) -> PerformanceMetrics {
        PerformanceMetrics.compute(self, options: options)
    }
}

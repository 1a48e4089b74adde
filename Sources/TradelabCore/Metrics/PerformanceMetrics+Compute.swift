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
    /// - Complexity: O(bars + trades), one pass over the equity curve (``EquityStatistics``) and
    ///   one over the trades, no allocation per bar (only one array element per calendar month).
    /// - Precondition: `result.config.initialCash` is finite and positive, `options` are valid.
    public static func compute(_ result: BacktestResult, options: MetricsOptions = .init()) -> PerformanceMetrics {
        let initial = result.config.initialCash
        precondition(initial.isFinite && initial > 0, "invalid initial cash '\(initial)': expected a positive amount")
        do { try options.validate() } catch { preconditionFailure(error.description) }

        let periodsPerYear = options.periodsPerYear ?? MetricsOptions.observedPeriodsPerYear(result.equity.timestamps)
        var statistics = EquityStatistics(initialCash: initial, periodsPerYear: periodsPerYear, riskFreeRate: options.riskFreeRate)
        let curve = result.equity, ts = curve.timestamps, eq = curve.equity, pos = curve.position
        for i in 0..<curve.count { statistics.add(time: ts[i], equity: eq[i], position: pos[i]) }
        return compute(statistics, periodsPerYear: periodsPerYear, trades: result.trades, closes: result.closes,
                       firstTradableIndex: result.firstTradableIndex, options: options)
    }

    /// The metrics from an equity curve's statistics (fed bar by bar) and the run's trades.
    /// - Parameters:
    ///   - statistics: The curve's figures, created with `periodsPerYear` and the options' rate.
    ///   - trades: Closed trades, then open ones marked at the last close.
    ///   - closes: The bars' closes, for buy-and-hold from `firstTradableIndex`.
    static func compute(_ statistics: EquityStatistics, periodsPerYear: Double?, trades: [Trade], closes: [Double],
                        firstTradableIndex: Int, options: MetricsOptions) -> PerformanceMetrics {
        var m = PerformanceMetrics()
        m.riskFreeRate = options.riskFreeRate
        m.initialEquity = statistics.initialCash
        m.periodsPerYear = periodsPerYear
        statistics.apply(to: &m)
        m.applyTrades(trades)
        m.buyAndHoldReturn = buyAndHold(closes: closes, from: firstTradableIndex)
        return m
    }

    /// `closes[last] / closes[from] - 1`, nil when `from` is out of range or that close is `<= 0`.
    static func buyAndHold(closes: [Double], from index: Int) -> Double? {
        guard closes.indices.contains(index), let last = closes.last, closes[index] > 0 else { return nil }
        return last / closes[index] - 1
    }

    /// Fills the trade metrics in one pass over the trades.
    mutating func applyTrades(_ trades: [Trade]) {
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

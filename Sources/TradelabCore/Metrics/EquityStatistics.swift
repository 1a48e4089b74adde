#if canImport(Glibc)
import Glibc  // pow (libm only; TradelabCore does not use Foundation)
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The equity-curve figures of ``PerformanceMetrics``, accumulated one bar at a time: per-bar
/// returns (mean, deviation, downside deviation), drawdown depth and duration, exposure, peak and
/// the monthly table.
///
/// The batch metrics feed a stored curve through it, and a backtest that keeps only its metrics
/// (an optimizer trial) feeds it from the bar loop, so both give the same numbers without the
/// second keeping bar-sized columns.
///
/// ```swift
/// var statistics = EquityStatistics(initialCash: 10_000, periodsPerYear: 525_960, riskFreeRate: 0)
/// for i in curve.timestamps.indices { statistics.add(time: curve.timestamps[i], equity: curve.equity[i], position: curve.position[i]) }
/// statistics.apply(to: &metrics)
/// ```
public struct EquityStatistics: Sendable {
    let initialCash: Double
    let rfPerBar: Double
    private(set) var count = 0
    private var firstTime: Int64 = 0, lastTime: Int64 = 0
    private var lastEquity: Double
    // Returns: sums of (r - shift) and its square, shifted by the first return so that the
    // variance does not cancel when returns are nearly constant (no division per bar, unlike Welford).
    private var returnCount = 0
    private var shift = 0.0, sum = 0.0, squares = 0.0, downsideSquares = 0.0
    // Drawdown: running peak, whether equity is below it, the longest episode so far.
    private var peak = 0.0, peakIndex = 0, peakTime: Int64 = 0, below = false
    /// `peak * (1 + deepest)`: the equity below which a bar would be the new deepest drawdown.
    private var floor = 0.0
    private var deepest = 0.0, longestMs: Int64 = 0, longestBars = 0
    // Exposure and months.
    private var exposed = 0
    private var month = CivilDate(year: 1970, month: 1, day: 1)
    private var nextMonth: Int64 = .min
    private var previousMonthEnd: Double
    private var months: [MonthlyReturn] = []
    /// The returns by block, when asked for (see ``ReturnBlocks``).
    public var blocks: ReturnBlocks? {
        get { returnBlocks.count > 0 ? returnBlocks : nil }
        set { returnBlocks = newValue ?? .none }
    }
    /// Stored without an optional, so that the bar loop updates it in place.
    private var returnBlocks = ReturnBlocks.none

    /// Starts with no bar.
    /// - Parameters:
    ///   - initialCash: The account's starting cash (the first month's return is measured from it).
    ///   - periodsPerYear: Bars per year, for the risk-free rate per bar (nil: no rate).
    ///   - riskFreeRate: Annual risk-free rate.
    public init(initialCash: Double, periodsPerYear: Double?, riskFreeRate: Double) {
        self.initialCash = initialCash
        rfPerBar = periodsPerYear.map { riskFreeRate / $0 } ?? 0
        lastEquity = initialCash
        previousMonthEnd = initialCash
    }

    /// Adds the next bar's close: its time (UTC milliseconds), equity and signed position.
    /// - Complexity: O(1), no allocation (but one table row per new calendar month).
    @inline(__always)
    public mutating func add(time: Int64, equity e: Double, position: Double) {
        let i = count
        if i == 0 {
            firstTime = time
            month = CivilDate(utcMilliseconds: time)
            nextMonth = month.startOfNextMonth
            peak = e
        } else {
            let previous = lastEquity
            if previous > 0 {
                let r = e / previous - 1
                if returnCount == 0 { shift = r }
                returnCount += 1
                let d = r - shift
                sum += d
                squares += d * d
                let excess = r - rfPerBar
                if excess < 0 { downsideSquares += excess * excess }
                if returnBlocks.count > 0 { returnBlocks.add(r, at: i) }
            }
            if time >= nextMonth {
                closeMonth(endEquity: previous)
                month = CivilDate(utcMilliseconds: time)
                nextMonth = month.startOfNextMonth
            }
        }
        if e >= peak {
            if below { closeEpisode(at: i, time: time) }
            peak = e
            peakIndex = i
            peakTime = time
            below = false
            floor = peak * (1 + deepest)
        } else {
            below = true
            // The division only where this bar may be the deepest: well above the deepest
            // drawdown's level (a margin far beyond rounding) it cannot be.
            if peak > 0, e < floor * (1 + 1e-9) {
                let dd = e / peak - 1
                if dd < deepest {
                    deepest = dd
                }
                floor = peak * (1 + deepest)
            }
        }
        if position != 0 { exposed += 1 }
        lastEquity = e
        lastTime = time
        count = i + 1
    }

    private mutating func closeEpisode(at i: Int, time: Int64) {
        let ms = time - peakTime, bars = i - peakIndex
        if ms > longestMs || (ms == longestMs && bars > longestBars) {
            longestMs = ms
            longestBars = bars
        }
    }

    private mutating func closeMonth(endEquity: Double) {
        let r: Double? = previousMonthEnd > 0 ? endEquity / previousMonthEnd - 1 : nil
        months.append(MonthlyReturn(year: Int(month.year), month: month.month, return: r, endEquity: endEquity))
        previousMonthEnd = endEquity
    }

    /// Writes the figures into `m` (whose `periodsPerYear` must be the one given at creation).
    public func apply(to m: inout PerformanceMetrics) {
        var s = self
        m.barCount = s.count
        m.finalEquity = initialCash
        m.peakEquity = initialCash
        m.totalReturn = 0
        guard s.count > 0 else { return }
        m.start = s.firstTime
        m.end = s.lastTime
        m.durationMilliseconds = s.count > 1 ? s.lastTime - s.firstTime : 0
        if s.below { s.closeEpisode(at: s.count - 1, time: s.lastTime) }
        s.closeMonth(endEquity: s.lastEquity)

        m.finalEquity = s.lastEquity
        m.peakEquity = s.peak
        m.totalReturn = s.lastEquity / initialCash - 1
        m.maxDrawdown = s.deepest
        m.maxDrawdownDurationMilliseconds = s.longestMs
        m.maxDrawdownDurationBars = s.longestBars
        m.exposure = Double(s.exposed) / Double(s.count)
        m.monthlyReturns = s.months

        if m.durationMilliseconds > 0 {
            let years = Double(m.durationMilliseconds) / MetricsOptions.millisecondsPerYear
            m.cagr = m.finalEquity > 0 ? pow(m.finalEquity / initialCash, 1 / years) - 1 : -1
        }
        let n = Double(s.returnCount)
        if let ppy = m.periodsPerYear, s.returnCount > 0 {
            let mean = s.shift + s.sum / n
            m.annualizedReturn = mean * ppy
            let downside = (s.downsideSquares / n).squareRoot()
            if downside > PerformanceMetrics.zeroReturnDeviation {
                m.sortinoRatio = (mean - rfPerBar) / downside * ppy.squareRoot()
            }
            if s.returnCount > 1 {
                let std = (max(0, s.squares - s.sum * s.sum / n) / (n - 1)).squareRoot()
                m.annualizedVolatility = std * ppy.squareRoot()
                if std > PerformanceMetrics.zeroReturnDeviation {
                    m.sharpeRatio = (mean - rfPerBar) / std * ppy.squareRoot()
                }
            }
        }
        if let cagr = m.cagr, m.maxDrawdown < 0 {
            m.calmarRatio = cagr / -m.maxDrawdown
        }
    }
}

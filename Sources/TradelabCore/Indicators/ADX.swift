/// Average directional index (TA-Lib `ADX`), Wilder's trend-strength measure in 0...100.
///
/// TA-Lib's accumulation, reproduced step by step:
/// - +DM1 = `high - prevHigh` when it is positive and larger than `prevLow - low`; -DM1 the
///   other way round; otherwise both 0.
/// - Bars `1..<period`: +DM, -DM and TR are plain sums.
/// - From bar `period` on, each is smoothed as `s = s - s / period + x1` (TR as one expression,
///   the DMs as `s -= s / period` then `s += dm1`), and DX = 100 × |−DI − +DI| / (−DI + +DI) with
///   ±DI = 100 × ±DM / TR.
/// - The first ADX, at index `2 * period - 1` (the lookback), is the sum of the DX of bars
///   `period...2*period-1` divided by `period`; later ADX = `(adx * (period - 1) + dx) / period`.
/// - A bar whose TR sum is not positive, or whose DI sum is within TA-Lib's `1e-14` of zero,
///   contributes no DX (the ADX is carried). TA-Lib 0.8.1 tests the TR sum exactly: its old
///   `1e-8` band froze the ADX of finely quoted instruments.
///
/// ```swift
/// let adx = ADX.compute(high: h, low: l, close: c, period: 14)   // NaN for 27 bars
/// ```
public struct ADX: Sendable {
    /// The Wilder period.
    public let period: Int
    @usableFromInline var count = 0
    @usableFromInline var previousHigh = 0.0
    @usableFromInline var previousLow = 0.0
    @usableFromInline var previousClose = 0.0
    @usableFromInline var plusDM = 0.0
    @usableFromInline var minusDM = 0.0
    @usableFromInline var trueRangeSum = 0.0
    @usableFromInline var dxSum = 0.0
    @usableFromInline var value = 0.0

    /// Number of leading NaN outputs: `2 * period - 1`.
    public var lookback: Int { 2 * period - 1 }

    /// Creates a streaming ADX.
    /// - Precondition: `period >= 2` (TA-Lib's range).
    public init(period: Int = 14) {
        precondition(period >= 2, "ADX period must be >= 2, was \(period)")
        self.period = period
    }

    /// The DX of the current smoothed sums, or nil when TA-Lib skips the bar.
    @inlinable @inline(__always)
    static func directionalIndex(plusDM: Double, minusDM: Double, trueRange: Double) -> Double? {
        guard trueRange > 0 else { return nil }
        let minusDI = 100.0 * (minusDM / trueRange)
        let plusDI = 100.0 * (plusDM / trueRange)
        let sum = minusDI + plusDI
        if isZeroFixed(sum) { return nil }
        return 100.0 * ((minusDI - plusDI).magnitude / sum)
    }

    /// Feeds the next bar and returns the ADX (NaN while warming up).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Double {
        let i = count
        count += 1
        defer { previousHigh = high; previousLow = low; previousClose = close }
        if i == 0 { return .nan }
        let upMove = high - previousHigh
        let downMove = previousLow - low
        let tr = trueRange(high: high, low: low, previousClose: previousClose)
        let p = Double(period)
        if i < period {
            if downMove > 0 && upMove < downMove {
                minusDM += downMove
            } else if upMove > 0 && upMove > downMove {
                plusDM += upMove
            }
            trueRangeSum += tr
            return .nan
        }
        minusDM -= minusDM / p
        plusDM -= plusDM / p
        if downMove > 0 && upMove < downMove {
            minusDM += downMove
        } else if upMove > 0 && upMove > downMove {
            plusDM += upMove
        }
        trueRangeSum = trueRangeSum - trueRangeSum / p + tr
        let dx = ADX.directionalIndex(plusDM: plusDM, minusDM: minusDM, trueRange: trueRangeSum)
        let first = 2 * period - 1
        if i < first {
            if let dx { dxSum += dx }
            return .nan
        }
        if i == first {
            if let dx { dxSum += dx }
            value = dxSum / p
            return value
        }
        if let dx { value = (value * Double(period - 1) + dx) / p }
        return value
    }

    /// The ADX of whole columns.
    /// - Parameters:
    ///   - high: Highs.
    ///   - low: Lows, as many as `high`.
    ///   - close: Closes, as many as `high`.
    ///   - period: The Wilder period, `>= 2`.
    /// - Returns: One value per bar; the first `2 * period - 1` are NaN.
    /// - Complexity: O(n).
    @inlinable
    public static func compute(high: [Double], low: [Double], close: [Double], period: Int = 14) -> [Double] {
        precondition(period >= 2, "ADX period must be >= 2, was \(period)")
        precondition(high.count == low.count && high.count == close.count, "ADX columns differ in length")
        let n = high.count
        let first = 2 * period - 1
        return high.withUnsafeBufferPointer { h in
            low.withUnsafeBufferPointer { l in
                close.withUnsafeBufferPointer { c in
                    makeColumn(n) { out in
                        guard n > first else { fillNaN(out, upTo: n); return }
                        fillNaN(out, upTo: first)
                        let p = Double(period), q = Double(period - 1)
                        var plusDM = 0.0, minusDM = 0.0, trSum = 0.0, dxSum = 0.0
                        var i = 1
                        while i < period {
                            let upMove = h[i] - h[i - 1]
                            let downMove = l[i - 1] - l[i]
                            if downMove > 0 && upMove < downMove {
                                minusDM += downMove
                            } else if upMove > 0 && upMove > downMove {
                                plusDM += upMove
                            }
                            trSum += trueRange(high: h[i], low: l[i], previousClose: c[i - 1])
                            i += 1
                        }
                        var value = 0.0
                        while i < n {
                            let upMove = h[i] - h[i - 1]
                            let downMove = l[i - 1] - l[i]
                            minusDM -= minusDM / p
                            plusDM -= plusDM / p
                            if downMove > 0 && upMove < downMove {
                                minusDM += downMove
                            } else if upMove > 0 && upMove > downMove {
                                plusDM += upMove
                            }
                            let tr = trueRange(high: h[i], low: l[i], previousClose: c[i - 1])
                            trSum = trSum - trSum / p + tr
                            let dx = directionalIndex(plusDM: plusDM, minusDM: minusDM, trueRange: trSum)
                            if i < first {
                                if let dx { dxSum += dx }
                            } else if i == first {
                                if let dx { dxSum += dx }
                                value = dxSum / p
                                out[i] = value
                            } else {
                                if let dx { value = (value * q + dx) / p }
                                out[i] = value
                            }
                            i += 1
                        }
                    }
                }
            }
        }
    }
}

/// Keltner channel (not a TA-Lib function): middle = EMA(close, `period`), upper/lower =
/// middle ± `multiplier` × ATR(`period`), with TA-Lib's ``EMA`` and ``ATR``.
///
/// All three lines start at index `period` (the ATR's lookback), including the middle line,
/// so that the channel appears as a whole.
///
/// ```swift
/// let channel = KeltnerChannel.compute(high: h, low: l, close: c, period: 20, multiplier: 2)
/// ```
public struct KeltnerChannel: Sendable {
    /// Period of the EMA and the ATR.
    public let period: Int
    /// ATR multiples between the middle line and each band.
    public let multiplier: Double
    @usableFromInline var ema: EMA
    @usableFromInline var atr: ATR

    /// Number of leading NaN outputs.
    public var lookback: Int { period }

    /// Creates a streaming Keltner channel.
    /// - Precondition: `period >= 1`, `multiplier` finite.
    public init(period: Int = 20, multiplier: Double = 2) {
        precondition(period >= 1, "Keltner period must be >= 1, was \(period)")
        precondition(multiplier.isFinite, "Keltner multiplier must be finite, was \(multiplier)")
        self.period = period
        self.multiplier = multiplier
        ema = EMA(period: period)
        atr = ATR(period: period)
    }

    /// Feeds the next bar and returns the channel (NaN while warming up).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double)
        -> (upper: Double, middle: Double, lower: Double) {
        let middle = ema.update(close)
        let range = atr.update(high: high, low: low, close: close)
        if range.isNaN { return (.nan, .nan, .nan) }
        let width = multiplier * range
        return (middle + width, middle, middle - width)
    }

    /// The channel of whole columns.
    /// - Parameters:
    ///   - high: Highs.
    ///   - low: Lows, as many as `high`.
    ///   - close: Closes, as many as `high`.
    ///   - period: EMA and ATR period, `>= 1`.
    ///   - multiplier: ATR multiples per band.
    /// - Returns: Upper, middle and lower lines, one value per bar; the first `period` are NaN.
    /// - Complexity: O(n).
    @inlinable
    public static func compute(high: [Double], low: [Double], close: [Double], period: Int = 20,
                               multiplier: Double = 2) -> (upper: [Double], middle: [Double], lower: [Double]) {
        precondition(period >= 1, "Keltner period must be >= 1, was \(period)")
        precondition(multiplier.isFinite, "Keltner multiplier must be finite, was \(multiplier)")
        precondition(high.count == low.count && high.count == close.count, "Keltner columns differ in length")
        let n = high.count
        var middle = EMA.compute(close, period: period)
        let range = ATR.compute(high: high, low: low, close: close, period: period)
        var upper = [Double](), lower = [Double]()
        middle.withUnsafeMutableBufferPointer { m in
            range.withUnsafeBufferPointer { r in
                upper = makeColumn(n) { u in
                    lower = makeColumn(n) { l in
                        var i = 0
                        while i < n {
                            if r[i].isNaN {
                                m[i] = .nan; u[i] = .nan; l[i] = .nan
                            } else {
                                let width = multiplier * r[i]
                                u[i] = m[i] + width
                                l[i] = m[i] - width
                            }
                            i += 1
                        }
                    }
                }
            }
        }
        return (upper, middle, lower)
    }
}

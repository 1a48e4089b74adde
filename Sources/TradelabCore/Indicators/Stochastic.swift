/// Slow stochastic oscillator %K/%D (TA-Lib `STOCH` with SMA smoothing for both lines).
///
/// fast %K = 100 × (close - LL) / (HH - LL) over the last `fastK` bars, and 0 when the range is
/// zero; TA-Lib 0.8.1 calls a range zero when `|HH - LL| <= 1e-14 × (|HH| + |LL|)`, a test
/// relative to the price level. %K = SMA(fast %K, `slowK`), %D = SMA(%K, `slowD`), both with
/// TA-Lib's running sums. Both outputs start at the lookback `fastK - 1 + slowK - 1 + slowD - 1`.
///
/// ```swift
/// let (k, d) = Stochastic.compute(high: h, low: l, close: c, fastK: 14, slowK: 3, slowD: 3)
/// ```
public struct Stochastic: Sendable {
    /// Window of the highest high / lowest low.
    public let fastK: Int
    /// Smoothing period of %K.
    public let slowK: Int
    /// Smoothing period of %D.
    public let slowD: Int
    @usableFromInline var highest: MovingExtreme
    @usableFromInline var lowest: MovingExtreme
    @usableFromInline var kAverage: SMA
    @usableFromInline var dAverage: SMA

    /// Number of leading NaN outputs.
    public var lookback: Int { fastK - 1 + slowK - 1 + slowD - 1 }

    /// Creates a streaming stochastic.
    /// - Precondition: all periods `>= 1`.
    public init(fastK: Int = 14, slowK: Int = 3, slowD: Int = 3) {
        precondition(fastK >= 1 && slowK >= 1 && slowD >= 1,
                     "Stochastic periods must be >= 1, were \(fastK), \(slowK), \(slowD)")
        self.fastK = fastK
        self.slowK = slowK
        self.slowD = slowD
        highest = MovingExtreme(period: fastK, highest: true)
        lowest = MovingExtreme(period: fastK, highest: false)
        kAverage = SMA(period: slowK)
        dAverage = SMA(period: slowD)
    }

    /// TA-Lib's fast %K of one bar given the window's extremes.
    @inlinable @inline(__always)
    static func fastValue(close: Double, highest: Double, lowest: Double) -> Double {
        let range = highest - lowest
        if isZero(range, relativeTo: highest.magnitude + lowest.magnitude) { return 0 }
        return (close - lowest) / (range / 100.0)
    }

    /// Feeds the next bar and returns %K and %D (NaN while warming up).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> (k: Double, d: Double) {
        let hh = highest.update(high)
        let ll = lowest.update(low)
        if hh.isNaN { return (.nan, .nan) }
        let k = kAverage.update(Stochastic.fastValue(close: close, highest: hh, lowest: ll))
        if k.isNaN { return (.nan, .nan) }
        let d = dAverage.update(k)
        return d.isNaN ? (.nan, .nan) : (k, d)
    }

    /// %K and %D of whole columns.
    /// - Parameters:
    ///   - high: Highs.
    ///   - low: Lows, as many as `high`.
    ///   - close: Closes, as many as `high`.
    ///   - fastK: Window of the highest high / lowest low, `>= 1`.
    ///   - slowK: %K smoothing, `>= 1`.
    ///   - slowD: %D smoothing, `>= 1`.
    /// - Returns: %K and %D, one value per bar, NaN before the lookback.
    /// - Complexity: O(n) amortised.
    @inlinable
    public static func compute(high: [Double], low: [Double], close: [Double],
                               fastK: Int = 14, slowK: Int = 3, slowD: Int = 3) -> (k: [Double], d: [Double]) {
        precondition(fastK >= 1 && slowK >= 1 && slowD >= 1,
                     "Stochastic periods must be >= 1, were \(fastK), \(slowK), \(slowD)")
        precondition(high.count == low.count && high.count == close.count, "Stochastic columns differ in length")
        let n = high.count
        let first = fastK - 1 + slowK - 1 + slowD - 1
        guard n > first else {
            return ([Double](repeating: .nan, count: n), [Double](repeating: .nan, count: n))
        }
        // Fast %K and %K (before its own lookback) into the k column, %D into d.
        var kOut = MovingExtreme.compute(high, period: fastK, highest: true)
        let lows = MovingExtreme.compute(low, period: fastK, highest: false)
        let dOut = makeColumn(n) { d in
            kOut.withUnsafeMutableBufferPointer { k in
                lows.withUnsafeBufferPointer { ll in
                    close.withUnsafeBufferPointer { c in
                        var i = fastK - 1
                        while i < n {
                            k[i] = fastValue(close: c[i], highest: k[i], lowest: ll[i])
                            i += 1
                        }
                        smooth(k, from: fastK - 1, period: slowK)
                        let kFirst = fastK - 1 + slowK - 1
                        // %D: running sum over %K, written to d.
                        fillNaN(d, upTo: first)
                        var sum = 0.0
                        i = kFirst
                        while i < first { sum += k[i]; i += 1 }
                        let p = Double(slowD)
                        while i < n {
                            sum += k[i]
                            d[i] = sum / p
                            sum -= k[i - slowD + 1]
                            i += 1
                        }
                        fillNaN(k, upTo: first)
                    }
                }
            }
        }
        return (kOut, dOut)
    }

    /// Replaces `v[start...]` in place by its SMA over `period` (TA-Lib's running sum), so that
    /// `v[start + period - 1...]` holds the averages. Values before that are left unspecified.
    @inlinable
    static func smooth(_ v: UnsafeMutableBufferPointer<Double>, from start: Int, period: Int) {
        let n = v.count
        guard period > 1 else { return }
        // Keep the last `period` raw inputs in a small window, since outputs overwrite them.
        var window = RingBuffer(capacity: period)
        var sum = 0.0
        var i = start
        let p = Double(period)
        while i < n {
            let x = v[i]
            sum += x
            window.append(x)
            if window.count == period {
                v[i] = sum / p
                sum -= window.removeOldest()
            }
            i += 1
        }
    }
}

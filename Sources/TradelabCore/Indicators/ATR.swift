/// Average true range with Wilder smoothing (TA-Lib `ATR`).
///
/// The true range of bar `i >= 1` is the largest of `high - low`, `|close[i-1] - high|` and
/// `|close[i-1] - low|` (bar 0 has none). The first ATR, at index `period` (the lookback), is the
/// plain average of the true ranges of bars `1...period`; later values are
/// `atr = (atr * (period - 1) + tr) / period`, three operations in that order. A period of 1
/// gives the true range itself (lookback 1), as TA-Lib does.
///
/// ```swift
/// var atr = ATR(period: 14)
/// let value = atr.update(high: h, low: l, close: c)
/// ```
public struct ATR: Sendable {
    /// The Wilder period.
    public let period: Int
    @usableFromInline var count = 0
    @usableFromInline var previousClose = 0.0
    @usableFromInline var value = 0.0

    /// Number of leading NaN outputs.
    public var lookback: Int { period }

    /// Creates a streaming ATR.
    /// - Precondition: `period >= 1`.
    public init(period: Int = 14) {
        precondition(period >= 1, "ATR period must be >= 1, was \(period)")
        self.period = period
    }

    /// Feeds the next bar and returns the ATR (NaN while warming up).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Double {
        defer { previousClose = close; count += 1 }
        if count == 0 { return .nan }
        let tr = trueRange(high: high, low: low, previousClose: previousClose)
        if period == 1 { return tr }
        if count < period {
            value += tr
            return .nan
        }
        if count == period {
            value += tr
            value = value / Double(period)
            return value
        }
        value *= Double(period - 1)
        value += tr
        value /= Double(period)
        return value
    }

    /// The ATR of whole columns.
    /// - Parameters:
    ///   - high: Highs.
    ///   - low: Lows, as many as `high`.
    ///   - close: Closes, as many as `high`.
    ///   - period: The Wilder period, `>= 1`.
    /// - Returns: One value per bar; the first `period` are NaN.
    /// - Complexity: O(n).
    @inlinable
    public static func compute(high: [Double], low: [Double], close: [Double], period: Int = 14) -> [Double] {
        precondition(period >= 1, "ATR period must be >= 1, was \(period)")
        precondition(high.count == low.count && high.count == close.count, "ATR columns differ in length")
        return high.withUnsafeBufferPointer { h in
            low.withUnsafeBufferPointer { l in
                close.withUnsafeBufferPointer { c in
                    makeColumn(h.count) { out in fill(out, h, l, c, period: period) }
                }
            }
        }
    }

    /// Writes the ATR into `out` (shared with ``KeltnerChannel``).
    @inlinable
    static func fill(_ out: UnsafeMutableBufferPointer<Double>, _ h: UnsafeBufferPointer<Double>,
                     _ l: UnsafeBufferPointer<Double>, _ c: UnsafeBufferPointer<Double>, period: Int) {
        let n = h.count
        guard n > period else { fillNaN(out, upTo: n); return }
        fillNaN(out, upTo: period)
        if period == 1 {
            var i = 1
            while i < n {
                out[i] = trueRange(high: h[i], low: l[i], previousClose: c[i - 1])
                i += 1
            }
            return
        }
        var value = 0.0
        var i = 1
        while i <= period {
            value += trueRange(high: h[i], low: l[i], previousClose: c[i - 1])
            i += 1
        }
        value = value / Double(period)
        out[period] = value
        let p = Double(period), q = Double(period - 1)
        while i < n {
            let tr = trueRange(high: h[i], low: l[i], previousClose: c[i - 1])
            value *= q
            value += tr
            value /= p
            out[i] = value
            i += 1
        }
    }
}

/// Commodity channel index (TA-Lib `CCI`).
///
/// With typical price `tp = (high + low + close) / 3`, `avg` the mean of the last `period`
/// typical prices and `md` their mean absolute deviation from `avg`:
/// `CCI = (tp - avg) / (0.015 × md)`, and 0 when `tp - avg` or `md` is zero relative to the price
/// level (`|v| <= 1e-14 × |avg|`, TA-Lib 0.8.1's test; older TA-Lib used a fixed `1e-8` band).
/// The first value is at index `period - 1`.
///
/// Like TA-Lib, the typical prices live in a circular buffer whose slot 0 holds bar 0, and the
/// sums run over the slots in slot order (not in time order); both forms do the same, so they
/// are bit-identical. Each bar costs O(period), as in TA-Lib.
///
/// ```swift
/// let cci = CCI.compute(high: h, low: l, close: c, period: 20)
/// ```
public struct CCI: Sendable {
    /// Window length.
    public let period: Int
    @usableFromInline var slots: [Double]
    @usableFromInline var slot = 0
    @usableFromInline var count = 0

    /// Number of leading NaN outputs.
    public var lookback: Int { period - 1 }

    /// Creates a streaming CCI.
    /// - Precondition: `period >= 2` (TA-Lib's range).
    public init(period: Int = 20) {
        precondition(period >= 2, "CCI period must be >= 2, was \(period)")
        self.period = period
        slots = [Double](repeating: 0, count: period)
    }

    /// The CCI of a full circular buffer whose newest typical price is `last`.
    @inlinable @inline(__always)
    static func value(_ slots: UnsafeBufferPointer<Double>, last: Double) -> Double {
        let period = slots.count
        var average = 0.0
        var j = 0
        while j < period { average += slots[j]; j += 1 }
        average /= Double(period)
        var deviation = 0.0
        j = 0
        while j < period { deviation += (slots[j] - average).magnitude; j += 1 }
        deviation /= Double(period)
        let distance = last - average
        let scale = average.magnitude
        if isZero(distance, relativeTo: scale) || isZero(deviation, relativeTo: scale) { return 0 }
        return distance / (0.015 * deviation)
    }

    /// Feeds the next bar and returns the CCI (NaN while warming up).
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) -> Double {
        let tp = typicalPrice(high: high, low: low, close: close)
        slots[slot] = tp
        slot = slot == period - 1 ? 0 : slot + 1
        if count < period - 1 {
            count += 1
            return .nan
        }
        return slots.withUnsafeBufferPointer { CCI.value($0, last: tp) }
    }

    /// The CCI of whole columns.
    /// - Parameters:
    ///   - high: Highs.
    ///   - low: Lows, as many as `high`.
    ///   - close: Closes, as many as `high`.
    ///   - period: Window length, `>= 2`.
    /// - Returns: One value per bar; the first `period - 1` are NaN.
    /// - Complexity: O(n · period).
    @inlinable
    public static func compute(high: [Double], low: [Double], close: [Double], period: Int = 20) -> [Double] {
        precondition(period >= 2, "CCI period must be >= 2, was \(period)")
        precondition(high.count == low.count && high.count == close.count, "CCI columns differ in length")
        let n = high.count
        var slots = [Double](repeating: 0, count: period)
        return high.withUnsafeBufferPointer { h in
            low.withUnsafeBufferPointer { l in
                close.withUnsafeBufferPointer { c in
                    slots.withUnsafeMutableBufferPointer { buffer in
                        makeColumn(n) { out in
                            var slot = 0
                            var i = 0
                            while i < n {
                                let tp = typicalPrice(high: h[i], low: l[i], close: c[i])
                                buffer[slot] = tp
                                slot += 1
                                if slot == period { slot = 0 }
                                out[i] = i < period - 1 ? .nan : value(UnsafeBufferPointer(buffer), last: tp)
                                i += 1
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Donchian channel (not a TA-Lib function): the highest high and lowest low of the last
/// `period` bars, and their midpoint `(upper + lower) / 2`.
///
/// The first values are at index `period - 1`. Upper and lower equal TA-Lib `MAX(high)` and
/// `MIN(low)`.
///
/// ```swift
/// let channel = DonchianChannel.compute(high: h, low: l, period: 20)
/// ```
public struct DonchianChannel: Sendable {
    /// Window length.
    public let period: Int
    @usableFromInline var highest: MovingExtreme
    @usableFromInline var lowest: MovingExtreme

    /// Number of leading NaN outputs.
    public var lookback: Int { period - 1 }

    /// Creates a streaming Donchian channel.
    /// - Precondition: `period >= 1`.
    public init(period: Int = 20) {
        precondition(period >= 1, "Donchian period must be >= 1, was \(period)")
        self.period = period
        highest = MovingExtreme(period: period, highest: true)
        lowest = MovingExtreme(period: period, highest: false)
    }

    /// Feeds the next bar and returns the channel (NaN while warming up).
    @inlinable
    public mutating func update(high: Double, low: Double) -> (upper: Double, middle: Double, lower: Double) {
        let upper = highest.update(high)
        let lower = lowest.update(low)
        return (upper, (upper + lower) / 2, lower)
    }

    /// The channel of whole columns.
    /// - Parameters:
    ///   - high: Highs.
    ///   - low: Lows, as many as `high`.
    ///   - period: Window length, `>= 1`.
    /// - Returns: Upper, middle and lower lines, one value per bar; the first `period - 1` are NaN.
    /// - Complexity: O(n) amortised.
    @inlinable
    public static func compute(high: [Double], low: [Double], period: Int = 20)
        -> (upper: [Double], middle: [Double], lower: [Double]) {
        precondition(period >= 1, "Donchian period must be >= 1, was \(period)")
        precondition(high.count == low.count, "Donchian columns differ in length")
        let upper = MovingExtreme.compute(high, period: period, highest: true)
        let lower = MovingExtreme.compute(low, period: period, highest: false)
        let middle = upper.withUnsafeBufferPointer { u in
            lower.withUnsafeBufferPointer { l in
                makeColumn(u.count) { out in
                    var i = 0
                    while i < u.count {
                        out[i] = (u[i] + l[i]) / 2
                        i += 1
                    }
                }
            }
        }
        return (upper, middle, lower)
    }
}

/// Linearly weighted moving average (TA-Lib `WMA`): weights `1...period`, newest heaviest,
/// divided by `period * (period + 1) / 2`.
///
/// The first value appears at index `period - 1`. Both forms keep TA-Lib's two running sums
/// (the weighted sum and the plain window sum that is subtracted from it each bar), in
/// TA-Lib's order, so they are bit-identical. A period of 1 returns the input unchanged.
///
/// ```swift
/// WMA.compute([1, 2, 3], period: 2)   // [nan, 5/3, 8/3]
/// ```
public struct WMA: Sendable {
    /// Number of values weighted.
    public let period: Int
    @usableFromInline let divider: Double
    @usableFromInline var window: RingBuffer
    @usableFromInline var weightedSum = 0.0
    @usableFromInline var windowSum = 0.0
    @usableFromInline var trailing = 0.0

    /// Number of leading NaN outputs.
    public var lookback: Int { period - 1 }

    /// Creates a streaming WMA.
    /// - Precondition: `period >= 1`.
    public init(period: Int) {
        precondition(period >= 1, "WMA period must be >= 1, was \(period)")
        self.period = period
        divider = Double(period * (period + 1) / 2)
        window = RingBuffer(capacity: period)
    }

    /// Feeds the next value and returns the weighted average (NaN while warming up).
    @inlinable
    public mutating func update(_ x: Double) -> Double {
        if period == 1 { return x }
        if window.count < period - 1 {
            windowSum += x
            weightedSum += x * Double(window.count + 1)
            window.append(x)
            return .nan
        }
        windowSum += x
        windowSum -= trailing
        weightedSum += x * Double(period)
        window.append(x)
        trailing = window.removeOldest()
        let out = weightedSum / divider
        weightedSum -= windowSum
        return out
    }

    /// The WMA of a whole array.
    /// - Parameters:
    ///   - values: The input series.
    ///   - period: Window length, `>= 1`.
    /// - Returns: One value per input; the first `period - 1` are NaN.
    /// - Complexity: O(n).
    @inlinable
    public static func compute(_ values: [Double], period: Int) -> [Double] {
        precondition(period >= 1, "WMA period must be >= 1, was \(period)")
        return values.withUnsafeBufferPointer { x in
            makeColumn(x.count) { out in fill(out, x, period: period, from: 0) }
        }
    }

    /// Writes the WMA of `x[start...]`, taken as a series of its own, into `out[start...]`.
    @inlinable
    static func fill(_ out: UnsafeMutableBufferPointer<Double>, _ x: UnsafeBufferPointer<Double>,
                     period: Int, from start: Int) {
        let n = x.count
        if period == 1 {
            var i = start
            while i < n { out[i] = x[i]; i += 1 }
            return
        }
        let first = start + period - 1
        guard first < n else {
            var i = start
            while i < n { out[i] = .nan; i += 1 }
            return
        }
        let divider = Double(period * (period + 1) / 2)
        let weight = Double(period)
        var windowSum = 0.0, weightedSum = 0.0
        var i = start
        while i < first {
            windowSum += x[i]
            weightedSum += x[i] * Double(i - start + 1)
            out[i] = .nan
            i += 1
        }
        var trailing = 0.0
        var trailingIndex = start
        while i < n {
            let value = x[i]
            windowSum += value
            windowSum -= trailing
            weightedSum += value * weight
            trailing = x[trailingIndex]
            trailingIndex += 1
            out[i] = weightedSum / divider
            weightedSum -= windowSum
            i += 1
        }
    }
}

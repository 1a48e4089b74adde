/// Exponential moving average (TA-Lib `EMA`, compatibility "default").
///
/// `k = 2 / (period + 1)`. The first value, at index `period - 1` (the lookback), is the simple
/// average of the first `period` values; each later value is `(x - prev) * k + prev`.
/// Batch and streaming forms perform the same operations in the same order, so they are
/// bit-identical.
///
/// ```swift
/// EMA.compute([1, 2, 3, 4], period: 2)   // [nan, 1.5, 2.5, 3.5]
/// var ema = EMA(period: 2)
/// ema.update(1); ema.update(2)           // nan, 1.5
/// ```
public struct EMA: Sendable {
    /// Number of values in the seed average; sets the smoothing factor.
    public let period: Int
    /// The smoothing factor `2 / (period + 1)`.
    public let k: Double
    @usableFromInline var count = 0
    @usableFromInline var value = 0.0

    /// Number of leading NaN outputs.
    public var lookback: Int { period - 1 }

    /// Creates a streaming EMA.
    /// - Precondition: `period >= 1`.
    public init(period: Int) {
        precondition(period >= 1, "EMA period must be >= 1, was \(period)")
        self.period = period
        k = 2.0 / Double(period + 1)
    }

    /// Feeds the next value and returns the EMA (NaN while warming up).
    @inlinable
    public mutating func update(_ x: Double) -> Double {
        if count < period {
            value += x
            count += 1
            if count < period { return .nan }
            value = value / Double(period)
            return value
        }
        value = (x - value) * k + value
        return value
    }

    /// The EMA of a whole array.
    /// - Parameters:
    ///   - values: The input series.
    ///   - period: Seed length, `>= 1`.
    /// - Returns: One value per input; the first `period - 1` are NaN.
    /// - Complexity: O(n).
    @inlinable
    public static func compute(_ values: [Double], period: Int) -> [Double] {
        precondition(period >= 1, "EMA period must be >= 1, was \(period)")
        let n = values.count
        return values.withUnsafeBufferPointer { x in
            makeColumn(n) { out in fill(out, x, period: period, from: 0) }
        }
    }

    /// Writes the EMA of `x[start...]` into `out[start...]` (NaN before `start + period - 1`),
    /// leaving `out[..<start]` untouched. Shared with ``KeltnerChannel``.
    @inlinable
    static func fill(_ out: UnsafeMutableBufferPointer<Double>, _ x: UnsafeBufferPointer<Double>,
                     period: Int, from start: Int) {
        let n = x.count
        let k = 2.0 / Double(period + 1)
        let seedEnd = start + period - 1
        guard seedEnd < n else {
            var i = start
            while i < n { out[i] = .nan; i += 1 }
            return
        }
        var sum = 0.0
        var i = start
        while i < seedEnd {
            sum += x[i]
            out[i] = .nan
            i += 1
        }
        sum += x[seedEnd]
        var prev = sum / Double(period)
        out[seedEnd] = prev
        i = seedEnd + 1
        while i < n {
            prev = (x[i] - prev) * k + prev
            out[i] = prev
            i += 1
        }
    }
}

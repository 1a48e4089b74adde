/// Simple moving average over `period` values (TA-Lib `SMA`).
///
/// The first value appears at index `period - 1` (lookback `period - 1`); earlier outputs are NaN.
/// Both forms keep TA-Lib's running sum (add the new value, divide, subtract the oldest), so the
/// batch and streaming forms give bit-identical values, equal to TA-Lib's.
///
/// ```swift
/// SMA.compute([1, 2, 3, 4], period: 2)   // [nan, 1.5, 2.5, 3.5]
/// var sma = SMA(period: 2)
/// sma.update(1); sma.update(2)           // nan, 1.5
/// ```
public struct SMA: Sendable {
    /// Number of values averaged.
    public let period: Int
    @usableFromInline var window: RingBuffer
    @usableFromInline var sum = 0.0

    /// Number of leading NaN outputs.
    public var lookback: Int { period - 1 }

    /// Creates a streaming SMA.
    /// - Precondition: `period >= 1`.
    public init(period: Int) {
        precondition(period >= 1, "SMA period must be >= 1, was \(period)")
        self.period = period
        window = RingBuffer(capacity: period)
    }

    /// Feeds the next value and returns the average of the last `period` values (NaN while warming up).
    @inlinable
    public mutating func update(_ value: Double) -> Double {
        sum += value
        window.append(value)
        if window.count < period { return .nan }
        let out = sum / Double(period)
        sum -= window.removeOldest()
        return out
    }

    /// The SMA of a whole array.
    /// - Complexity: O(n).
    @inlinable
    public static func compute(_ values: [Double], period: Int) -> [Double] {
        precondition(period >= 1, "SMA period must be >= 1, was \(period)")
        let n = values.count
        return [Double](unsafeUninitializedCapacity: n) { out, initialized in
            values.withUnsafeBufferPointer { x in
                var sum = 0.0
                let warm = Swift.min(period - 1, n)
                for i in 0..<warm {
                    sum += x[i]
                    out[i] = .nan
                }
                let p = Double(period)
                var i = warm
                while i < n {
                    sum += x[i]
                    out[i] = sum / p
                    sum -= x[i - period + 1]
                    i += 1
                }
            }
            initialized = n
        }
    }
}

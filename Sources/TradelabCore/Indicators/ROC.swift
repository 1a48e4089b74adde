/// Rate of change in percent (TA-Lib `ROC`): `(x / x[i - period] - 1) × 100`, and 0 when the
/// earlier value is exactly 0.
///
/// The first value is at index `period` (the lookback).
///
/// ```swift
/// ROC.compute([100, 110, 99], period: 1)   // [nan, 10, -10]
/// ```
public struct ROC: Sendable {
    /// Distance, in bars, to the value compared against.
    public let period: Int
    @usableFromInline var window: RingBuffer

    /// Number of leading NaN outputs.
    public var lookback: Int { period }

    /// Creates a streaming ROC.
    /// - Precondition: `period >= 1`.
    public init(period: Int = 10) {
        precondition(period >= 1, "ROC period must be >= 1, was \(period)")
        self.period = period
        window = RingBuffer(capacity: period)
    }

    @inlinable @inline(__always)
    static func value(_ x: Double, previous: Double) -> Double {
        previous != 0 ? (x / previous - 1.0) * 100.0 : 0.0
    }

    /// Feeds the next value and returns the rate of change (NaN while warming up).
    @inlinable
    public mutating func update(_ x: Double) -> Double {
        if window.count < period {
            window.append(x)
            return .nan
        }
        let previous = window.removeOldest()
        window.append(x)
        return ROC.value(x, previous: previous)
    }

    /// The ROC of a whole array.
    /// - Parameters:
    ///   - values: The input series.
    ///   - period: Distance in bars, `>= 1`.
    /// - Returns: One value per input; the first `period` are NaN.
    /// - Complexity: O(n).
    @inlinable
    public static func compute(_ values: [Double], period: Int = 10) -> [Double] {
        precondition(period >= 1, "ROC period must be >= 1, was \(period)")
        return values.withUnsafeBufferPointer { x in
            let n = x.count
            return makeColumn(n) { out in
                fillNaN(out, upTo: Swift.min(period, n))
                var i = period
                while i < n {
                    out[i] = value(x[i], previous: x[i - period])
                    i += 1
                }
            }
        }
    }
}

/// On-balance volume (TA-Lib `OBV`): starts at the first bar's volume, then adds the volume of
/// each bar that closes above the previous close and subtracts it when it closes below.
///
/// Lookback 0: every bar has a value.
///
/// ```swift
/// OBV.compute(close: [1, 2, 2, 1], volume: [5, 6, 7, 8])   // [5, 11, 11, 3]
/// ```
public struct OBV: Sendable {
    @usableFromInline var started = false
    @usableFromInline var previousClose = 0.0
    @usableFromInline var value = 0.0

    /// Number of leading NaN outputs (none).
    public var lookback: Int { 0 }

    /// Creates a streaming OBV.
    public init() {}

    /// Feeds the next bar and returns the running OBV.
    @inlinable
    public mutating func update(close: Double, volume: Double) -> Double {
        defer { previousClose = close }
        if !started {
            started = true
            value = volume
            return value
        }
        if close > previousClose {
            value += volume
        } else if close < previousClose {
            value -= volume
        }
        return value
    }

    /// The OBV of whole columns.
    /// - Parameters:
    ///   - close: Closes.
    ///   - volume: Volumes, as many as `close`.
    /// - Returns: One value per bar.
    /// - Complexity: O(n).
    @inlinable
    public static func compute(close: [Double], volume: [Double]) -> [Double] {
        precondition(close.count == volume.count, "OBV columns differ in length")
        return close.withUnsafeBufferPointer { c in
            volume.withUnsafeBufferPointer { v in
                let n = c.count
                return makeColumn(n) { out in
                    guard n > 0 else { return }
                    var value = v[0]
                    out[0] = value
                    var i = 1
                    while i < n {
                        if c[i] > c[i - 1] {
                            value += v[i]
                        } else if c[i] < c[i - 1] {
                            value -= v[i]
                        }
                        out[i] = value
                        i += 1
                    }
                }
            }
        }
    }
}

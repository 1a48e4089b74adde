/// Relative strength index with Wilder smoothing (TA-Lib `RSI`).
///
/// The first value, at index `period` (the lookback), uses the plain averages of the gains and
/// losses of the first `period` changes. Later averages are smoothed as
/// `avg = (avg * (period - 1) + change) / period`, three operations in that order.
/// `RSI = 100 * avgGain / (avgGain + avgLoss)`, and 0 when `avgGain + avgLoss` is exactly 0
/// (a window without any change), as in TA-Lib 0.8.1, which tests this sum exactly rather than
/// against the old fixed `1e-8` band (that band zeroed the RSI of finely quoted instruments).
///
/// ```swift
/// let rsi = RSI.compute(closes, period: 14)   // NaN for the first 14 bars
/// ```
public struct RSI: Sendable {
    /// The Wilder period.
    public let period: Int
    @usableFromInline var count = 0
    @usableFromInline var previous = 0.0
    @usableFromInline var averageGain = 0.0
    @usableFromInline var averageLoss = 0.0

    /// Number of leading NaN outputs.
    public var lookback: Int { period }

    /// Creates a streaming RSI.
    /// - Precondition: `period >= 2` (TA-Lib's range).
    public init(period: Int) {
        precondition(period >= 2, "RSI period must be >= 2, was \(period)")
        self.period = period
    }

    @inlinable @inline(__always)
    static func value(gain: Double, loss: Double) -> Double {
        let total = gain + loss
        return total > 0 ? 100.0 * (gain / total) : 0.0
    }

    /// Adds a positive change to `gain` and the magnitude of a negative one to `loss`, without a
    /// branch: the other accumulator gets an exact `+ 0`, so the sums are those of TA-Lib's
    /// branching form bit for bit.
    @inlinable @inline(__always)
    static func split(_ change: Double, gain: inout Double, loss: inout Double) {
        let up = change > 0 ? change : 0
        gain += up
        loss += up - change
    }

    /// Feeds the next value and returns the RSI (NaN while warming up).
    @inlinable
    public mutating func update(_ x: Double) -> Double {
        defer { previous = x; count += 1 }
        if count == 0 { return .nan }
        let change = x - previous
        if count < period {
            RSI.split(change, gain: &averageGain, loss: &averageLoss)
            return .nan
        }
        if count == period {
            RSI.split(change, gain: &averageGain, loss: &averageLoss)
            averageLoss /= Double(period)
            averageGain /= Double(period)
            return RSI.value(gain: averageGain, loss: averageLoss)
        }
        averageLoss *= Double(period - 1)
        averageGain *= Double(period - 1)
        RSI.split(change, gain: &averageGain, loss: &averageLoss)
        averageLoss /= Double(period)
        averageGain /= Double(period)
        return RSI.value(gain: averageGain, loss: averageLoss)
    }

    /// The RSI of a whole array.
    /// - Parameters:
    ///   - values: The input series.
    ///   - period: The Wilder period, `>= 2`.
    /// - Returns: One value per input; the first `period` are NaN.
    /// - Complexity: O(n).
    @inlinable
    public static func compute(_ values: [Double], period: Int) -> [Double] {
        precondition(period >= 2, "RSI period must be >= 2, was \(period)")
        let n = values.count
        return values.withUnsafeBufferPointer { x in
            makeColumn(n) { out in
                guard n > period else { fillNaN(out, upTo: n); return }
                out[0] = .nan
                var gain = 0.0, loss = 0.0
                var i = 1
                while i <= period {
                    let change = x[i] - x[i - 1]
                    split(change, gain: &gain, loss: &loss)
                    if i < period { out[i] = .nan }
                    i += 1
                }
                let p = Double(period), q = Double(period - 1)
                loss /= p
                gain /= p
                out[period] = value(gain: gain, loss: loss)
                while i < n {
                    let change = x[i] - x[i - 1]
                    loss *= q
                    gain *= q
                    split(change, gain: &gain, loss: &loss)
                    loss /= p
                    gain /= p
                    out[i] = value(gain: gain, loss: loss)
                    i += 1
                }
            }
        }
    }
}

/// The highest or lowest of the last `period` values, streaming (TA-Lib `MAX`/`MIN` semantics).
///
/// Keeps the window and the position of the current extreme; the window is rescanned only when
/// that extreme leaves it, as TA-Lib does, so an update is O(1) amortised on ordinary data and
/// O(period) in the worst case. Extremes are exact, so every method of computing them agrees
/// bit for bit with the batch ``MovingExtreme/compute(_:period:highest:)``.
public struct MovingExtreme: Sendable {
    /// Window length.
    public let period: Int
    /// True for the maximum, false for the minimum.
    public let highest: Bool
    @usableFromInline var window: RingBuffer
    @usableFromInline var extreme = 0.0
    @usableFromInline var extremeAge = 0

    /// Creates a rolling maximum (`highest: true`) or minimum over `period` values.
    /// - Precondition: `period >= 1`.
    public init(period: Int, highest: Bool) {
        precondition(period >= 1, "window period must be >= 1, was \(period)")
        self.period = period
        self.highest = highest
        window = RingBuffer(capacity: period)
    }

    @inlinable @inline(__always)
    func beats(_ a: Double, _ b: Double) -> Bool { highest ? a >= b : a <= b }

    /// Feeds the next value and returns the extreme of the last `period` values (NaN while fewer
    /// than `period` have been seen).
    @inlinable
    public mutating func update(_ x: Double) -> Double {
        if window.count == period { _ = window.removeOldest() }
        window.append(x)
        extremeAge += 1
        if window.count == 1 || extremeAge >= period {
            // The extreme left the window (or there is none yet): rescan oldest to newest, so the
            // newest of equal values wins and stays longest.
            var age = window.count - 1
            extreme = window[fromNewest: age]
            extremeAge = age
            while age > 0 {
                age -= 1
                let v = window[fromNewest: age]
                if beats(v, extreme) {
                    extreme = v
                    extremeAge = age
                }
            }
        } else if beats(x, extreme) {
            extreme = x
            extremeAge = 0
        }
        return window.count < period ? .nan : extreme
    }

    /// The rolling extreme of a whole array.
    /// - Parameters:
    ///   - values: The input series.
    ///   - period: Window length, `>= 1`.
    ///   - highest: True for the maximum, false for the minimum.
    /// - Returns: One value per input; the first `period - 1` are NaN.
    /// - Complexity: O(n) amortised on ordinary data, O(n · period) in the worst case.
    @inlinable
    public static func compute(_ values: [Double], period: Int, highest: Bool) -> [Double] {
        precondition(period >= 1, "window period must be >= 1, was \(period)")
        return values.withUnsafeBufferPointer { x in
            makeColumn(x.count) { out in
                if highest { fill(out, x, period: period, by: >=) } else { fill(out, x, period: period, by: <=) }
            }
        }
    }

    /// Writes the rolling extreme into `out`; `beats(a, b)` is `>=` for a maximum, `<=` for a minimum.
    @inlinable @inline(__always)
    static func fill(_ out: UnsafeMutableBufferPointer<Double>, _ x: UnsafeBufferPointer<Double>, period: Int,
                     by beats: (Double, Double) -> Bool) {
        let n = x.count
        fillNaN(out, upTo: Swift.min(period - 1, n))
        var extremeIndex = -1
        var extreme = 0.0
        var i = period - 1
        while i < n {
            let trailing = i - period + 1
            let value = x[i]
            if extremeIndex < trailing {
                extremeIndex = trailing
                extreme = x[trailing]
                var j = trailing + 1
                while j <= i {
                    if beats(x[j], extreme) {
                        extreme = x[j]
                        extremeIndex = j
                    }
                    j += 1
                }
            } else if beats(value, extreme) {
                extreme = value
                extremeIndex = i
            }
            out[i] = extreme
            i += 1
        }
    }
}

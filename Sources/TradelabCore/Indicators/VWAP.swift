/// Volume-weighted average price, anchored to each UTC day (not in TA-Lib).
///
/// A session starts at every 00:00 UTC (the first bar whose timestamp falls on a new UTC day).
/// Within a session, `VWAP = Σ(tp × volume) / Σ volume` over the session's bars so far, with
/// typical price `tp = (high + low + close) / 3`. While the session's cumulative volume is still 0
/// the VWAP is the current bar's typical price (no trade has weighted any price yet, and the
/// typical price is the best unweighted estimate). Lookback 0.
///
/// ```swift
/// var vwap = VWAP()
/// let value = vwap.update(high: h, low: l, close: c, volume: v, time: timestampMs)
/// ```
public struct VWAP: Sendable {
    @usableFromInline var day = Int64.min
    @usableFromInline var priceVolume = 0.0
    @usableFromInline var volume = 0.0

    /// Milliseconds per UTC day.
    public static let dayMilliseconds: Int64 = 86_400_000

    /// Number of leading NaN outputs (none).
    public var lookback: Int { 0 }

    /// Creates a streaming VWAP.
    public init() {}

    /// The UTC day number of a timestamp (floor division, correct before 1970 too).
    @inlinable @inline(__always)
    static func dayIndex(_ time: Int64) -> Int64 {
        let q = time / dayMilliseconds
        return time % dayMilliseconds < 0 ? q - 1 : q
    }

    /// Feeds the next bar (`time` in UTC milliseconds) and returns the session VWAP.
    @inlinable
    public mutating func update(high: Double, low: Double, close: Double, volume v: Double, time: Int64) -> Double {
        let d = VWAP.dayIndex(time)
        if d != day {
            day = d
            priceVolume = 0
            volume = 0
        }
        let tp = typicalPrice(high: high, low: low, close: close)
        priceVolume += tp * v
        volume += v
        return volume > 0 ? priceVolume / volume : tp
    }

    /// The session VWAP of whole columns.
    /// - Parameters:
    ///   - high: Highs.
    ///   - low: Lows.
    ///   - close: Closes.
    ///   - volume: Volumes.
    ///   - timestamps: Bar times, UTC milliseconds, non-decreasing; all columns equally long.
    /// - Returns: One value per bar.
    /// - Complexity: O(n).
    @inlinable
    public static func compute(high: [Double], low: [Double], close: [Double], volume: [Double],
                               timestamps: [Int64]) -> [Double] {
        let n = high.count
        precondition(low.count == n && close.count == n && volume.count == n && timestamps.count == n,
                     "VWAP columns differ in length")
        return high.withUnsafeBufferPointer { h in
            low.withUnsafeBufferPointer { l in
                close.withUnsafeBufferPointer { c in
                    volume.withUnsafeBufferPointer { v in
                        timestamps.withUnsafeBufferPointer { t in
                            makeColumn(n) { out in
                                var day = Int64.min
                                var priceVolume = 0.0, cumulative = 0.0
                                var i = 0
                                while i < n {
                                    let d = dayIndex(t[i])
                                    if d != day {
                                        day = d
                                        priceVolume = 0
                                        cumulative = 0
                                    }
                                    let tp = typicalPrice(high: h[i], low: l[i], close: c[i])
                                    priceVolume += tp * v[i]
                                    cumulative += v[i]
                                    out[i] = cumulative > 0 ? priceVolume / cumulative : tp
                                    i += 1
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

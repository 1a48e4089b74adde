/// Bollinger Bands (TA-Lib `BBANDS` with an SMA middle band and equal up/down multipliers).
///
/// middle = SMA(period) (TA-Lib's running sum); upper/lower = middle ± `multiplier` × σ, where σ
/// is the **population** standard deviation of the same `period` values. The first values are at
/// index `period - 1`.
///
/// σ is not computed with TA-Lib's historical sum of squares (which loses every digit at high
/// prices and leaves a spurious width on flat stretches) but with the shifted-moments scheme
/// described in ``WindowMoments``: sums of `x - shift` for a shift taken from the data, re-based
/// exactly whenever cancellation could cost precision. A window of identical values has σ = 0
/// exactly. Bands match TA-Lib 0.8.1 to 1e-9 relative (see docs/indicators.md).
///
/// ```swift
/// let bands = BollingerBands.compute(closes, period: 20, multiplier: 2)
/// var stream = BollingerBands(period: 20, multiplier: 2)
/// let (upper, middle, lower) = stream.update(close)
/// ```
public struct BollingerBands: Sendable {
    /// Window length.
    public let period: Int
    /// Number of standard deviations between the middle and each outer band.
    public let multiplier: Double
    @usableFromInline var window: RingBuffer
    @usableFromInline var sum = 0.0
    @usableFromInline var moments: WindowMoments

    /// Number of leading NaN outputs.
    public var lookback: Int { period - 1 }

    /// Creates streaming Bollinger Bands.
    /// - Precondition: `period >= 2` (TA-Lib's range), `multiplier` finite.
    public init(period: Int = 20, multiplier: Double = 2) {
        precondition(period >= 2, "Bollinger period must be >= 2, was \(period)")
        precondition(multiplier.isFinite, "Bollinger multiplier must be finite, was \(multiplier)")
        self.period = period
        self.multiplier = multiplier
        window = RingBuffer(capacity: period)
        moments = WindowMoments(period: period)
    }

    /// Feeds the next value and returns the three bands (NaN while warming up).
    @inlinable
    public mutating func update(_ x: Double) -> (upper: Double, middle: Double, lower: Double) {
        if window.count == 0 { moments.shift = x }
        sum += x
        moments.add(x)
        window.append(x)
        if window.count < period { return (.nan, .nan, .nan) }
        let middle = sum / Double(period)
        let variance = moments.variance { [window] j in window[fromNewest: period - 1 - j] }
        let oldest = window.removeOldest()
        sum -= oldest
        moments.remove(oldest)
        let width = (variance > 0 ? variance.squareRoot() : 0) * multiplier
        return (middle + width, middle, middle - width)
    }

    /// Bollinger Bands of a whole array.
    /// - Parameters:
    ///   - values: The input series.
    ///   - period: Window length, `>= 2`.
    ///   - multiplier: Standard deviations per band.
    /// - Returns: Upper, middle and lower bands, one value per input; the first `period - 1` are NaN.
    /// - Complexity: O(n) (plus an O(period) re-base at most every `32 * period` bars, or when
    ///   precision requires it).
    @inlinable
    public static func compute(_ values: [Double], period: Int = 20, multiplier: Double = 2)
        -> (upper: [Double], middle: [Double], lower: [Double]) {
        precondition(period >= 2, "Bollinger period must be >= 2, was \(period)")
        precondition(multiplier.isFinite, "Bollinger multiplier must be finite, was \(multiplier)")
        let n = values.count
        var upperOut = [Double](), middleOut = [Double]()
        let lowerOut = values.withUnsafeBufferPointer { x in
            makeColumn(n) { lower in
                upperOut = makeColumn(n) { upper in
                    middleOut = makeColumn(n) { middle in
                        let warm = Swift.min(period - 1, n)
                        fillNaN(upper, upTo: warm); fillNaN(middle, upTo: warm); fillNaN(lower, upTo: warm)
                        guard n >= period else { return }
                        var moments = WindowMoments(period: period)
                        moments.shift = x[0]
                        var sum = 0.0
                        var i = 0
                        while i < period - 1 {
                            sum += x[i]
                            moments.add(x[i])
                            i += 1
                        }
                        let p = Double(period)
                        while i < n {
                            let value = x[i]
                            sum += value
                            moments.add(value)
                            let mid = sum / p
                            let start = i - period + 1
                            let variance = moments.variance { j in x[start + j] }
                            let oldest = x[start]
                            sum -= oldest
                            moments.remove(oldest)
                            let width = (variance > 0 ? variance.squareRoot() : 0) * multiplier
                            upper[i] = mid + width
                            middle[i] = mid
                            lower[i] = mid - width
                            i += 1
                        }
                    }
                }
            }
        }
        return (upperOut, middleOut, lowerOut)
    }
}

/// Running first and second moments of a sliding window about a `shift`, for a variance that
/// stays accurate where the textbook `E[x²] - E[x]²` cancels.
///
/// With `d = x - shift`, the window keeps `Σd` and `Σd²`; the population variance is
/// `Σd²/p - (Σd/p)²`. The shift is a value of the window (the first one, then the newest value
/// at each re-base), so the two terms are of the order of the window's own spread, not of the
/// price level. The moments are recomputed exactly from the window (a "re-base") when
/// - the variance falls below `1e-6` of `Σd²/p`, i.e. the shift has drifted far from the mean
///   and the subtraction would cost more than six digits;
/// - a removed `d²` exceeded `1e6` times what remains (a spike left the window, leaving its
///   rounding error behind); or
/// - `32 * period` windows have passed since the last re-base (bounds accumulated drift).
/// A window of identical values gives `Σd = Σd² = 0` after a re-base, hence variance 0 exactly.
/// This follows the strategy of TA-Lib 0.8.1's `VAR`/`BBANDS` (issue #118) without copying its
/// arithmetic.
@usableFromInline
struct WindowMoments: Sendable {
    @usableFromInline let period: Int
    @usableFromInline var shift = 0.0
    @usableFromInline var sum = 0.0
    @usableFromInline var sumOfSquares = 0.0
    @usableFromInline var countdown: Int
    @usableFromInline var rebaseNeeded = false

    @usableFromInline
    init(period: Int) {
        self.period = period
        countdown = 32 * period
    }

    @inlinable @inline(__always)
    mutating func add(_ x: Double) {
        let d = x - shift
        sum += d
        sumOfSquares += d * d
    }

    @inlinable @inline(__always)
    mutating func remove(_ x: Double) {
        let d = x - shift
        sum -= d
        let square = d * d
        sumOfSquares -= square
        if square > 1e6 * sumOfSquares { rebaseNeeded = true }
    }

    /// The population variance of the complete window; `window(j)` is its `j`-th value, oldest
    /// first, read only when re-basing. May be slightly negative or tiny on flat windows.
    @inlinable
    mutating func variance(window: (Int) -> Double) -> Double {
        let p = Double(period)
        var mean = sum / p
        var variance = sumOfSquares / p - mean * mean
        countdown -= 1
        if rebaseNeeded || countdown <= 0 || variance < 1e-6 * (sumOfSquares / p) {
            shift = window(period - 1)
            sum = 0
            sumOfSquares = 0
            var j = 0
            while j < period {
                add(window(j))
                j += 1
            }
            mean = sum / p
            variance = sumOfSquares / p - mean * mean
            countdown = 32 * period
            rebaseNeeded = false
        }
        return variance
    }
}

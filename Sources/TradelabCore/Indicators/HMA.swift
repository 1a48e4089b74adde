/// Hull moving average: `HMA(n) = WMA(2 * WMA(x, n / 2) - WMA(x, n), ⌊√n⌋)`, with `n / 2`
/// rounded down; `HMA(1)` is the input itself.
///
/// Lookback `(n - 1) + (⌊√n⌋ - 1)`. The difference series starts where `WMA(x, n)` does and the
/// outer WMA treats it as a series of its own. This equals TA-Lib 0.8.1's `HMA` and an
/// independent numpy computation (see `scripts/gen_talib_fixtures.py`). Both forms are built
/// from ``WMA``'s arithmetic and are bit-identical.
///
/// ```swift
/// var hma = HMA(period: 9)
/// let value = hma.update(close)   // NaN for the first 10 bars
/// ```
public struct HMA: Sendable {
    /// The Hull period `n`.
    public let period: Int
    @usableFromInline var half: WMA
    @usableFromInline var full: WMA
    @usableFromInline var outer: WMA

    /// Number of leading NaN outputs: `(n - 1) + (⌊√n⌋ - 1)`.
    public var lookback: Int { HMA.lookback(period: period) }

    /// The lookback of `HMA(period)`.
    public static func lookback(period: Int) -> Int {
        period == 1 ? 0 : (period - 1) + (squareRootPeriod(period) - 1)
    }

    /// `⌊√n⌋`, computed exactly.
    @inlinable
    static func squareRootPeriod(_ n: Int) -> Int {
        var r = Int(Double(n).squareRoot())
        while r * r > n { r -= 1 }
        while (r + 1) * (r + 1) <= n { r += 1 }
        return r
    }

    /// Creates a streaming HMA.
    /// - Precondition: `period >= 1`.
    public init(period: Int) {
        precondition(period >= 1, "HMA period must be >= 1, was \(period)")
        self.period = period
        half = WMA(period: Swift.max(1, period / 2))
        full = WMA(period: period)
        outer = WMA(period: HMA.squareRootPeriod(period))
    }

    /// Feeds the next value and returns the HMA (NaN while warming up).
    @inlinable
    public mutating func update(_ x: Double) -> Double {
        if period == 1 { return x }
        let a = half.update(x)
        let b = full.update(x)
        if b.isNaN { return .nan }
        return outer.update(2.0 * a - b)
    }

    /// The HMA of a whole array.
    /// - Parameters:
    ///   - values: The input series.
    ///   - period: The Hull period `n >= 1`.
    /// - Returns: One value per input; the first ``lookback(period:)`` are NaN.
    /// - Complexity: O(n), with two temporary arrays.
    @inlinable
    public static func compute(_ values: [Double], period: Int) -> [Double] {
        precondition(period >= 1, "HMA period must be >= 1, was \(period)")
        if period == 1 { return values }
        let n = values.count
        let start = period - 1
        guard start < n else { return [Double](repeating: .nan, count: n) }
        let halfWMA = WMA.compute(values, period: period / 2)
        var diff = WMA.compute(values, period: period)
        diff.withUnsafeMutableBufferPointer { d in
            halfWMA.withUnsafeBufferPointer { h in
                var i = start
                while i < n {
                    d[i] = 2.0 * h[i] - d[i]
                    i += 1
                }
            }
        }
        let root = squareRootPeriod(period)
        return diff.withUnsafeBufferPointer { d in
            makeColumn(n) { out in
                fillNaN(out, upTo: start)
                WMA.fill(out, d, period: root, from: start)
            }
        }
    }
}

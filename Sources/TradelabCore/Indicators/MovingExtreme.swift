/// The highest or lowest of the last `period` values (TA-Lib `MAX`/`MIN`), batch and streaming.
///
/// Both forms use the van Herk/Gil-Werman scheme: the input is cut into blocks of `period`
/// values; a window ending at offset `j` of a block is covered by the running extreme of the
/// block so far (a prefix) and the extreme of the previous block from offset `j + 1` on (a
/// suffix, computed backwards once per completed block). That is three branch-free
/// compare-and-selects per value whatever the data, where TA-Lib's rescan-on-expiry costs
/// O(period) per bar on trending data. Extremes are exact, so the values equal TA-Lib's; the
/// two forms perform the same selections in the same order and are bit-identical.
public struct MovingExtreme: Sendable {
    /// Window length.
    public let period: Int
    /// True for the maximum, false for the minimum.
    public let highest: Bool
    /// The current block's values so far.
    @usableFromInline var block: [Double]
    /// Suffix extremes of the previous complete block.
    @usableFromInline var suffix: [Double]
    @usableFromInline var running = 0.0
    /// Offset of the next value in its block.
    @usableFromInline var offset = 0
    /// Values still to come before the first full window.
    @usableFromInline var warmUp: Int

    /// Creates a rolling maximum (`highest: true`) or minimum over `period` values.
    /// - Precondition: `period >= 1`.
    public init(period: Int, highest: Bool) {
        precondition(period >= 1, "window period must be >= 1, was \(period)")
        self.period = period
        self.highest = highest
        block = [Double](repeating: 0, count: period)
        suffix = [Double](repeating: 0, count: period)
        warmUp = period - 1
    }

    @inlinable @inline(__always)
    func pick(_ a: Double, _ b: Double) -> Double {
        highest ? Greatest.pick(a, b) : Least.pick(a, b)
    }

    /// Feeds the next value and returns the extreme of the last `period` values (NaN while fewer
    /// than `period` have been seen).
    @inlinable
    public mutating func update(_ x: Double) -> Double {
        let p = period
        let j = offset
        offset = j == p - 1 ? 0 : j + 1
        let warm = warmUp > 0
        if warm { warmUp -= 1 }
        running = j == 0 ? x : pick(running, x)
        block[j] = x
        let out = j == p - 1 ? running : pick(suffix[j + 1], running)
        if j == p - 1 {
            // Block complete: its suffix extremes serve the windows ending in the next block.
            suffix[p - 1] = block[p - 1]
            var k = p - 2
            while k >= 0 {
                suffix[k] = pick(block[k], suffix[k + 1])
                k -= 1
            }
        }
        return warm ? .nan : out
    }

    /// The rolling extreme of a whole array.
    /// - Parameters:
    ///   - values: The input series.
    ///   - period: Window length, `>= 1`.
    ///   - highest: True for the maximum, false for the minimum.
    /// - Returns: One value per input; the first `period - 1` are NaN.
    /// - Complexity: O(n), with one temporary buffer of `period` values.
    @inlinable
    public static func compute(_ values: [Double], period: Int, highest: Bool) -> [Double] {
        precondition(period >= 1, "window period must be >= 1, was \(period)")
        return values.withUnsafeBufferPointer { x in
            makeColumn(x.count) { out in
                if highest {
                    fill(out, x, period: period, order: Greatest.self)
                } else {
                    fill(out, x, period: period, order: Least.self)
                }
            }
        }
    }

    /// Writes the rolling extreme into `out`, specialised for one direction.
    @inlinable @inline(__always)
    static func fill<Order: ExtremeOrder>(_ out: UnsafeMutableBufferPointer<Double>, _ x: UnsafeBufferPointer<Double>,
                                          period p: Int, order: Order.Type) {
        let n = x.count
        fillNaN(out, upTo: Swift.min(p - 1, n))
        guard n >= p else { return }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: p) { suffix in
            var start = 0
            while start < n {
                let end = Swift.min(start + p, n)
                var running = x[start]
                var i = start
                while i < end {
                    let j = i - start
                    running = j == 0 ? x[i] : Order.pick(running, x[i])
                    if i >= p - 1 { out[i] = j == p - 1 ? running : Order.pick(suffix[j + 1], running) }
                    i += 1
                }
                if end - start == p {
                    suffix[p - 1] = x[start + p - 1]
                    var k = p - 2
                    while k >= 0 {
                        suffix[k] = Order.pick(x[start + k], suffix[k + 1])
                        k -= 1
                    }
                }
                start = end
            }
        }
    }
}

/// The direction of a rolling extreme, as a type so that batch loops specialise.
@usableFromInline
protocol ExtremeOrder {
    /// The stronger of two values, `a` on ties.
    static func pick(_ a: Double, _ b: Double) -> Double
}

@usableFromInline
enum Greatest: ExtremeOrder {
    @inlinable @inline(__always)
    static func pick(_ a: Double, _ b: Double) -> Double { b > a ? b : a }
}

@usableFromInline
enum Least: ExtremeOrder {
    @inlinable @inline(__always)
    static func pick(_ a: Double, _ b: Double) -> Double { b < a ? b : a }
}

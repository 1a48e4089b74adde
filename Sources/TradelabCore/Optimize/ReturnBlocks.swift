/// A run's per-bar returns summed in `count` consecutive blocks of bars: in each block the number
/// of returns, their sum and their sum of squares. Enough to compute the Sharpe ratio of any union
/// of blocks, which is what combinatorially symmetric cross-validation needs, in O(blocks) memory
/// per run instead of a column of returns.
///
/// The return ending at bar `i` (of `bars`) belongs to block `i × count / bars`. Returns are added
/// in bar order; the block being filled is kept in scalars and written out when the next starts
/// (no division or array write per bar), so call ``flush()`` after the last one.
public struct ReturnBlocks: Sendable, Equatable {
    /// Returns in each block.
    public private(set) var counts: [Int]
    /// Sum of the returns in each block.
    public private(set) var sums: [Double]
    /// Sum of the squared returns in each block.
    public private(set) var squares: [Double]
    /// Bars of the run.
    public let bars: Int
    private var block = 0, boundary: Int
    private var pendingCount = 0, pendingSum = 0.0, pendingSquares = 0.0

    /// No block: a run that does not keep its returns by block.
    static let none = ReturnBlocks()

    private init() {
        counts = []
        sums = []
        squares = []
        bars = 0
        boundary = .max
    }

    /// Empty blocks for a run over `bars` bars.
    public init(count: Int, bars: Int) {
        precondition(count >= 1 && bars >= 1, "ReturnBlocks needs at least one block and one bar")
        counts = Array(repeating: 0, count: count)
        sums = Array(repeating: 0, count: count)
        squares = Array(repeating: 0, count: count)
        self.bars = bars
        boundary = Self.firstBar(of: 1, count: count, bars: bars)
    }

    /// The first bar index of block `k`: the least `i` with `i × count / bars >= k`.
    private static func firstBar(of k: Int, count: Int, bars: Int) -> Int { (k * bars + count - 1) / count }

    /// Number of blocks.
    public var count: Int { counts.count }

    /// Adds the return `r` ending at bar `index` (at or after the previous one's).
    @inline(__always)
    public mutating func add(_ r: Double, at index: Int) {
        if index >= boundary { advance(to: index) }
        pendingCount += 1
        pendingSum += r
        pendingSquares += r * r
    }

    /// Writes out the block being filled and moves to the one holding bar `index`.
    private mutating func advance(to index: Int) {
        flush()
        while index >= boundary, block < counts.count - 1 {
            block += 1
            boundary = Self.firstBar(of: block + 1, count: counts.count, bars: bars)
        }
    }

    /// Writes the block being filled into the totals (after the last ``add(_:at:)``; harmless twice).
    public mutating func flush() {
        counts[block] += pendingCount
        sums[block] += pendingSum
        squares[block] += pendingSquares
        (pendingCount, pendingSum, pendingSquares) = (0, 0, 0)
    }

    mutating func set(_ k: Int, count: Int, sum: Double, squares square: Double) {
        counts[k] = count
        sums[k] = sum
        squares[k] = square
    }

    /// The Sharpe ratio (per bar, not annualized) of the returns in the blocks where `selected`
    /// is true (see ``sharpe(count:sum:squares:)``).
    public func sharpe(_ selected: [Bool]) -> Double {
        var n = 0, sum = 0.0, sq = 0.0
        for k in counts.indices where selected[k] {
            n += counts[k]
            sum += sums[k]
            sq += squares[k]
        }
        return Self.sharpe(count: Double(n), sum: sum, squares: sq)
    }

    /// Mean over sample deviation of `count` returns with this sum and sum of squares; 0 with
    /// fewer than 2 returns or no deviation.
    @inline(__always)
    public static func sharpe(count: Double, sum: Double, squares: Double) -> Double {
        guard count >= 2 else { return 0 }
        let mean = sum / count, variance = (squares - sum * mean) / (count - 1)
        return variance > 1e-24 ? mean / variance.squareRoot() : 0
    }
}

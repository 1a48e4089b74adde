/// A validated, columnar series of OHLCV bars.
///
/// Timestamps are UTC milliseconds since the Unix epoch (the bar's open time). Each price column
/// is a contiguous `[Double]`, so indicators and the backtest loop run over plain arrays.
/// Extra numeric columns of a dataset are kept as named ``features`` and reach strategies as
/// bar fields.
///
/// Construction validates every bar: strictly increasing timestamps, finite values,
/// `low <= open <= high`, `low <= close <= high` and `volume >= 0`. Feature columns may hold
/// NaN (missing), never infinities.
///
/// ```swift
/// let bars = try BarSeries(timestamps: [0, 60_000], open: [1, 2], high: [2, 3],
///                          low: [1, 2], close: [2, 3], volume: [10, 12])
/// ```
public struct BarSeries: Sendable, Equatable {
    /// Bar open times, UTC milliseconds since the epoch, strictly increasing.
    public let timestamps: [Int64]
    /// Opening prices.
    public let open: [Double]
    /// Highest prices.
    public let high: [Double]
    /// Lowest prices.
    public let low: [Double]
    /// Closing prices.
    public let close: [Double]
    /// Traded volume (0 when the source had none).
    public let volume: [Double]
    /// Names of the extra numeric columns, in source order.
    public let featureNames: [String]
    /// Extra numeric columns, parallel to ``featureNames``; NaN marks a missing value.
    public let featureColumns: [[Double]]

    /// Number of bars.
    @inlinable public var count: Int { timestamps.count }
    /// True when the series holds no bar.
    @inlinable public var isEmpty: Bool { timestamps.isEmpty }

    /// Creates a validated series.
    ///
    /// - Parameters:
    ///   - timestamps: UTC milliseconds, strictly increasing.
    ///   - open: Opening prices.
    ///   - high: Highest prices.
    ///   - low: Lowest prices.
    ///   - close: Closing prices.
    ///   - volume: Volumes, non-negative.
    ///   - features: Extra named numeric columns, each as long as `timestamps`.
    ///   - sourceLines: Optional 1-based source line of each row, used only to locate errors.
    /// - Throws: ``MarketDataError`` naming the first bad row, its line and the field.
    /// - Complexity: O(n).
    public init(
        timestamps: [Int64], open: [Double], high: [Double], low: [Double], close: [Double],
        volume: [Double], features: [(name: String, values: [Double])] = [],
        sourceLines: [Int32]? = nil
    ) throws(MarketDataError) {
        let n = timestamps.count
        func line(_ row: Int) -> Int? { sourceLines.map { Int($0[row]) } }
        for (name, column) in [("open", open), ("high", high), ("low", low), ("close", close), ("volume", volume)]
        where column.count != n {
            throw MarketDataError(field: name, reason: "column has \(column.count) values, timestamps have \(n)")
        }
        var seen = Set<String>()
        for feature in features {
            if feature.values.count != n {
                throw MarketDataError(field: feature.name, reason: "column has \(feature.values.count) values, timestamps have \(n)")
            }
            if ["ts", "time", "open", "high", "low", "close", "volume"].contains(feature.name) || !seen.insert(feature.name).inserted {
                throw MarketDataError(field: feature.name, reason: "duplicate column name")
            }
        }
        for i in 0..<n {
            if i > 0, timestamps[i] <= timestamps[i - 1] {
                let what = timestamps[i] == timestamps[i - 1] ? "duplicates" : "is earlier than"
                throw MarketDataError(row: i, line: line(i), field: "time",
                                      reason: "timestamp \(timestamps[i]) \(what) the previous one \(timestamps[i - 1]); timestamps must be strictly increasing")
            }
            let o = open[i], h = high[i], l = low[i], c = close[i], v = volume[i]
            if !(o.isFinite && h.isFinite && l.isFinite && c.isFinite && v.isFinite) {
                for (name, value) in [("open", o), ("high", h), ("low", l), ("close", c), ("volume", v)] where !value.isFinite {
                    throw MarketDataError(row: i, line: line(i), field: name, reason: "\(name) is \(value); values must be finite numbers")
                }
            }
            if l > h { throw MarketDataError(row: i, line: line(i), field: "low", reason: "low \(l) is above high \(h)") }
            if o < l || o > h { throw MarketDataError(row: i, line: line(i), field: "open", reason: "open \(o) is outside low..high [\(l), \(h)]") }
            if c < l || c > h { throw MarketDataError(row: i, line: line(i), field: "close", reason: "close \(c) is outside low..high [\(l), \(h)]") }
            if v < 0 { throw MarketDataError(row: i, line: line(i), field: "volume", reason: "volume \(v) is negative") }
            for feature in features where feature.values[i].isInfinite {
                throw MarketDataError(row: i, line: line(i), field: feature.name, reason: "value is \(feature.values[i]); use NaN or leave empty for missing")
            }
        }
        self.timestamps = timestamps
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.featureNames = features.map(\.name)
        self.featureColumns = features.map(\.values)
    }

    /// Creates a series without validation, for data already known to be valid (slices, resampling).
    @usableFromInline
    init(unchecked timestamps: [Int64], open: [Double], high: [Double], low: [Double], close: [Double],
         volume: [Double], featureNames: [String], featureColumns: [[Double]]) {
        self.timestamps = timestamps
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.featureNames = featureNames
        self.featureColumns = featureColumns
    }

    /// The values of the feature column `name`, if the series has it.
    public func feature(named name: String) -> [Double]? {
        featureNames.firstIndex(of: name).map { featureColumns[$0] }
    }

    /// A new series holding the bars in `range` (row positions).
    /// - Complexity: O(range.count): the columns are copied.
    public func slice(_ range: Range<Int>) -> BarSeries {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "slice \(range) out of 0..<\(count)")
        return BarSeries(unchecked: Array(timestamps[range]), open: Array(open[range]), high: Array(high[range]),
                         low: Array(low[range]), close: Array(close[range]), volume: Array(volume[range]),
                         featureNames: featureNames, featureColumns: featureColumns.map { Array($0[range]) })
    }

    /// The bars whose timestamps fall in `[from, to)`; either bound may be omitted.
    public func between(from: Int64? = nil, to: Int64? = nil) -> BarSeries {
        let lower = from.map { bound in firstIndex(atOrAfter: bound) } ?? 0
        let upper = to.map { bound in firstIndex(atOrAfter: bound) } ?? count
        return slice(lower..<max(lower, upper))
    }

    /// Index of the first bar whose timestamp is `>= time` (binary search); `count` if none.
    public func firstIndex(atOrAfter time: Int64) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if timestamps[mid] < time { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Total size of the bar columns in bytes (timestamps, OHLCV and features).
    public var columnBytes: Int { count * 8 * (6 + featureColumns.count) }

    /// Equality compares every column bit-for-bit, treating NaN as equal to NaN.
    public static func == (a: BarSeries, b: BarSeries) -> Bool {
        func same(_ x: [Double], _ y: [Double]) -> Bool {
            x.count == y.count && zip(x, y).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
        }
        return a.timestamps == b.timestamps && same(a.open, b.open) && same(a.high, b.high) && same(a.low, b.low)
            && same(a.close, b.close) && same(a.volume, b.volume) && a.featureNames == b.featureNames
            && zip(a.featureColumns, b.featureColumns).allSatisfy { same($0, $1) }
    }
}

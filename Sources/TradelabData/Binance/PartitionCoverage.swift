/// What one cached month holds: the sidecar `YYYY-MM.coverage.json` next to the partition file.
///
/// `from..<to` is the span of open times that was asked of Binance and answered in full: every
/// kline Binance had there is in the partition, and a missing open time inside it is a gap on
/// the exchange's side (an outage, or before the listing), not a hole in the cache.
public struct PartitionCoverage: Sendable, Codable, Equatable {
    /// The symbol, e.g. `BTCUSDT`.
    public var symbol: String
    /// The Binance interval name, e.g. `1m`.
    public var interval: String
    /// The month, `2024-01`.
    public var month: String
    /// First covered open time, UTC ms.
    public var from: Int64
    /// End of the covered open times (exclusive), UTC ms.
    public var to: Int64
    /// True when the span is the whole month and every bar of it had closed when fetched: the
    /// month is never requested again.
    public var complete: Bool
    /// Bars in the partition file.
    public var bars: Int
    /// Bars an exchange without outages has in `from..<to`.
    public var expectedBars: Int
    /// The partition file name (`2024-01.parquet`); nil when the span holds no bar.
    public var file: String?
    /// When it was written, UTC ms.
    public var fetchedAt: Int64

    /// `from..<to`.
    public var covered: Range<Int64> { from..<to }

    /// Encodes every field, `"file": null` included (a reader sees there is no file, not a missing key).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(symbol, forKey: .symbol)
        try c.encode(interval, forKey: .interval)
        try c.encode(month, forKey: .month)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(complete, forKey: .complete)
        try c.encode(bars, forKey: .bars)
        try c.encode(expectedBars, forKey: .expectedBars)
        try c.encode(file, forKey: .file)
        try c.encode(fetchedAt, forKey: .fetchedAt)
    }

    /// Creates a coverage record.
    public init(symbol: String, interval: String, month: String, from: Int64, to: Int64, complete: Bool,
                bars: Int, expectedBars: Int, file: String?, fetchedAt: Int64) {
        self.symbol = symbol
        self.interval = interval
        self.month = month
        self.from = from
        self.to = to
        self.complete = complete
        self.bars = bars
        self.expectedBars = expectedBars
        self.file = file
        self.fetchedAt = fetchedAt
    }
}

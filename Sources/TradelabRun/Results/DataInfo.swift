import TradelabCore

/// The bars a run used.
public struct DataInfo: Sendable, Codable, Equatable {
    /// The file name, or `SYMBOL (folder)` for catalog data; never a full path.
    public var source: String
    /// The symbol: the catalog symbol, or the one in the file name (`GOOG` of `GOOG_1d.csv`).
    public var symbol: String
    /// Timeframe of the bars, when known.
    public var timeframe: String?
    /// Number of bars (of the whole data set for randomized runs).
    public var bars: Int
    /// First bar time, ISO 8601 UTC.
    public var from: String
    /// Last bar time, ISO 8601 UTC.
    public var to: String

    /// Describes `bars` loaded from `source`.
    public init(source: String, symbol: String, timeframe: Timeframe?, bars: BarSeries) {
        self.source = source
        self.symbol = symbol
        self.timeframe = timeframe?.rawValue
        self.bars = bars.count
        from = bars.timestamps.first.map { UTCTime.format($0) } ?? ""
        to = bars.timestamps.last.map { UTCTime.format($0) } ?? ""
    }
}

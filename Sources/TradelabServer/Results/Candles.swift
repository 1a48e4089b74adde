import TradelabCore

/// Bars as chart columns (UTC seconds), optionally merged down to a maximum number of candles.
public struct Candles: Sendable, Codable, Equatable {
    /// Symbol or data set name.
    public var symbol: String
    /// Timeframe of the original bars, when known.
    public var timeframe: String?
    /// Number of candles returned.
    public var count: Int
    /// Number of bars before merging.
    public var sourceCount: Int
    /// Whether consecutive bars were merged.
    public var downsampled: Bool
    /// Open times in UTC seconds.
    public var time: [Int64]
    /// Opens.
    public var open: [Double]
    /// Highs.
    public var high: [Double]
    /// Lows.
    public var low: [Double]
    /// Closes.
    public var close: [Double]
    /// Volumes.
    public var volume: [Double]

    /// The bars; with `maxPoints` and more bars than that, groups of consecutive bars become one
    /// candle (first open, highest high, lowest low, last close, summed volume).
    /// - Complexity: O(n).
    public init(_ bars: BarSeries, symbol: String, timeframe: String?, maxPoints: Int?) {
        self.symbol = symbol
        self.timeframe = timeframe
        sourceCount = bars.count
        let group = maxPoints.map { max(1, (bars.count + max(1, $0) - 1) / max(1, $0)) } ?? 1
        downsampled = group > 1
        if group == 1 {
            time = bars.timestamps.map { $0 / 1000 }
            open = bars.open; high = bars.high; low = bars.low; close = bars.close; volume = bars.volume
        } else {
            time = []; open = []; high = []; low = []; close = []; volume = []
            var start = 0
            while start < bars.count {
                let end = min(bars.count, start + group)
                time.append(bars.timestamps[start] / 1000)
                open.append(bars.open[start])
                high.append(bars.high[start..<end].max()!)
                low.append(bars.low[start..<end].min()!)
                close.append(bars.close[end - 1])
                volume.append(bars.volume[start..<end].reduce(0, +))
                start = end
            }
        }
        count = time.count
    }
}

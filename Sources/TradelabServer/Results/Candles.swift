import TradelabCore

/// Bars as chart columns (UTC seconds), optionally cut to a time window, merged down to a maximum
/// number of candles, and with indicators computed natively beside them.
public struct Candles: Sendable, Codable, Equatable {
    /// Symbol or data set name.
    public var symbol: String
    /// Timeframe of the original bars, when known.
    public var timeframe: String?
    /// Number of candles returned.
    public var count: Int
    /// Number of bars before merging (in the window, when one was asked for).
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
    /// The indicators asked for, one value per candle (absent when none was asked for).
    public var indicators: [CandleIndicator]?

    /// The bars; with `maxPoints` and more bars than that, groups of consecutive bars become one
    /// candle (first open, highest high, lowest low, last close, summed volume).
    /// - Parameters:
    ///   - window: Open times (UTC milliseconds) of the bars to keep, end exclusive; nil keeps them all.
    ///   - indicators: Computed over every bar of `bars` (so a window starts warmed up), then cut
    ///     and merged as the candles are: a merged candle has the value at its last bar's close.
    /// - Complexity: O(n) plus the indicators' cost.
    public init(_ bars: BarSeries, symbol: String, timeframe: String?, maxPoints: Int?,
                window: Range<Int64>? = nil, indicators specs: [IndicatorSpec] = []) {
        self.symbol = symbol
        self.timeframe = timeframe
        var range = 0..<bars.count
        if let window {
            let lower = bars.firstIndex(atOrAfter: window.lowerBound)
            range = lower..<max(lower, bars.firstIndex(atOrAfter: window.upperBound))
        }
        sourceCount = range.count
        let group = maxPoints.map { max(1, (range.count + max(1, $0) - 1) / max(1, $0)) } ?? 1
        downsampled = group > 1
        // The last bar of each candle; a candle spans (previous last)+1 ... last.
        let ends = stride(from: range.lowerBound, to: range.upperBound, by: group).map { min(range.upperBound, $0 + group) - 1 }
        if group == 1 {
            time = bars.timestamps[range].map { $0 / 1000 }
            open = Array(bars.open[range]); high = Array(bars.high[range]); low = Array(bars.low[range])
            close = Array(bars.close[range]); volume = Array(bars.volume[range])
        } else {
            time = []; open = []; high = []; low = []; close = []; volume = []
            var start = range.lowerBound
            for end in ends {
                time.append(bars.timestamps[start] / 1000)
                open.append(bars.open[start])
                high.append(bars.high[start...end].max()!)
                low.append(bars.low[start...end].min()!)
                close.append(bars.close[end])
                volume.append(bars.volume[start...end].reduce(0, +))
                start = end + 1
            }
        }
        count = time.count
        indicators = specs.isEmpty ? nil : specs.map { spec in
            CandleIndicator(spec: spec, columns: spec.compute(on: bars).map { column in ends.map { column[$0] } })
        }
    }
}

/// One indicator beside the candles: its outputs, one value per candle (null during the warm-up).
public struct CandleIndicator: Sendable, Codable, Equatable {
    /// The canonical spec (`macd:12,26,9`).
    public var spec: String
    /// The indicator's name (`macd`).
    public var name: String
    /// `price` for values drawn over the candles (averages, bands), `pane` for oscillators and
    /// other scales, drawn in a pane of their own below the price.
    public var pane: String
    /// Output column names, e.g. `macd_12_26_9`, `macd_signal_12_26_9`, `macd_hist_12_26_9`.
    public var outputs: [String]
    /// One array per output, as long as the candles.
    public var values: [[Double?]]

    init(spec: IndicatorSpec, columns: [[Double]]) {
        self.spec = spec.description
        name = spec.name
        pane = spec.kind.overlaysPrice ? "price" : "pane"
        outputs = spec.outputNames
        values = columns.map { $0.map { $0.isFinite ? $0 : nil } }
    }
}

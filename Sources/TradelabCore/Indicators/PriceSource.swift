/// The price series a single-input indicator reads (`sma:20@high`); `close` by default.
public enum PriceSource: String, Sendable, CaseIterable, Equatable, Hashable {
    /// Opening price.
    case open
    /// Highest price.
    case high
    /// Lowest price.
    case low
    /// Closing price (the default).
    case close
    /// Traded volume.
    case volume
    /// Median price `(high + low) / 2`.
    case hl2
    /// Typical price `(high + low + close) / 3`.
    case hlc3
    /// Average price `(open + high + low + close) / 4`.
    case ohlc4

    /// The source's value for one bar.
    @inlinable
    public func value(open: Double, high: Double, low: Double, close: Double, volume: Double) -> Double {
        switch self {
        case .open: open
        case .high: high
        case .low: low
        case .close: close
        case .volume: volume
        case .hl2: (high + low) / 2
        case .hlc3: (high + low + close) / 3
        case .ohlc4: (open + high + low + close) / 4
        }
    }

    /// The source's column for a whole series (no copy for the five stored columns).
    /// - Complexity: O(1) for stored columns, O(n) for the derived ones.
    public func values(in bars: BarSeries) -> [Double] {
        switch self {
        case .open: return bars.open
        case .high: return bars.high
        case .low: return bars.low
        case .close: return bars.close
        case .volume: return bars.volume
        case .hl2, .hlc3, .ohlc4:
            let n = bars.count
            return makeColumn(n) { out in
                for i in 0..<n {
                    out[i] = value(open: bars.open[i], high: bars.high[i], low: bars.low[i],
                                   close: bars.close[i], volume: bars.volume[i])
                }
            }
        }
    }
}

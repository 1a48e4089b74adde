/// Account value at each bar's close.
///
/// Stored as three columns (equity, cash, position) sharing the series' timestamps; drawdown is
/// derived on demand so the curve costs 24 bytes per bar.
public struct EquityCurve: Sendable, Equatable {
    /// Bar times, UTC milliseconds (shared with the bar series, not copied).
    public let timestamps: [Int64]
    /// Cash plus positions marked at the close.
    public let equity: [Double]
    /// Cash (includes proceeds of short sales).
    public let cash: [Double]
    /// Signed units held after the bar (negative when short).
    public let position: [Double]

    /// Creates a curve; all columns must have the same length.
    public init(timestamps: [Int64], equity: [Double], cash: [Double], position: [Double]) {
        precondition(equity.count == timestamps.count && cash.count == timestamps.count && position.count == timestamps.count,
                     "equity curve columns differ in length")
        self.timestamps = timestamps
        self.equity = equity
        self.cash = cash
        self.position = position
    }

    /// Number of points.
    public var count: Int { equity.count }

    /// Drawdown at each bar as a fraction of the running peak: `equity / peak - 1` (0 or negative).
    public var drawdown: [Double] {
        var peak = -Double.infinity
        return equity.map { value in
            peak = Swift.max(peak, value)
            return peak > 0 ? value / peak - 1 : 0
        }
    }
}

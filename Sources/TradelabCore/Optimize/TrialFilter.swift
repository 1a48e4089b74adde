/// Conditions a trial must meet to count (`--min-trades 10`, `--max-drawdown 30%`): a trial
/// that misses one is kept, marked, and never chosen as the best.
public struct TrialFilter: Sendable, Equatable, Codable {
    /// Fewest closed trades.
    public var minTrades: Int?
    /// Deepest drawdown allowed, as a positive fraction (0.3 = 30 %).
    public var maxDrawdown: Double?

    /// Creates a filter.
    public init(minTrades: Int? = nil, maxDrawdown: Double? = nil) {
        self.minTrades = minTrades
        self.maxDrawdown = maxDrawdown
    }

    /// Why `metrics` miss the filter, or nil when they meet it.
    public func rejection(_ metrics: PerformanceMetrics) -> String? {
        if let minTrades, metrics.tradeCount < minTrades { return "\(metrics.tradeCount) closed trades, fewer than \(minTrades)" }
        if let maxDrawdown, -metrics.maxDrawdown > maxDrawdown {
            return "max drawdown \(formatNumber((-metrics.maxDrawdown * 10000).rounded() / 100)) % deeper than \(formatNumber(maxDrawdown * 100)) %"
        }
        return nil
    }
}

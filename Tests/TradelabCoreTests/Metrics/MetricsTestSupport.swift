@testable import TradelabCore

/// Builders for hand-made backtest results in metrics tests.
enum MetricsFixture {
    static let minute: Int64 = 60_000
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 86_400_000
    /// 2024-01-01 00:00 UTC.
    static let jan1st2024: Int64 = 1_704_067_200_000

    /// A result with the given equity curve; timestamps every `step` from `start` unless given,
    /// flat position unless given, initial cash = first equity unless given.
    static func result(
        equity: [Double], timestamps: [Int64]? = nil, start: Int64 = jan1st2024, step: Int64 = day,
        position: [Double]? = nil, trades: [Trade] = [], closes: [Double]? = nil,
        firstTradableIndex: Int = 0, initialCash: Double? = nil
    ) -> BacktestResult {
        let ts = timestamps ?? equity.indices.map { start + Int64($0) * step }
        var config = AccountConfig()
        config.initialCash = initialCash ?? equity.first ?? 10_000
        let curve = EquityCurve(timestamps: ts, equity: equity, cash: equity,
                                position: position ?? Array(repeating: 0, count: equity.count))
        return BacktestResult(strategy: "test", config: config, trades: trades, equity: curve, orders: [],
                              closes: closes ?? Array(repeating: 1, count: equity.count),
                              firstTradableIndex: firstTradableIndex)
    }

    /// A long trade with the given outcome; only the fields metrics read are meaningful.
    static func trade(
        pnl: Double, return ret: Double? = nil, fees: Double = 0, entryIndex: Int = 0, exitIndex: Int = 1,
        entryTime: Int64 = 0, exitTime: Int64? = nil, open: Bool = false
    ) -> Trade {
        Trade(side: .long, quantity: 1, entryIndex: entryIndex, entryTime: entryTime, entryPrice: 100,
              exitIndex: exitIndex, exitTime: exitTime ?? entryTime + Int64(exitIndex - entryIndex) * hour,
              exitPrice: 100 + pnl, pnl: pnl, pnlPercent: ret ?? pnl / 100, fees: fees,
              barsHeld: exitIndex - entryIndex, mfe: 0, mae: 0, exitReason: open ? .open : .signal,
              ambiguous: false)
    }
}

/// `|a - b| <= tolerance × max(|a|, |b|, 1)`.
func isClose(_ a: Double?, _ b: Double?, tolerance: Double = 1e-12) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    if a == b { return true }
    return abs(a - b) <= tolerance * max(abs(a), abs(b), 1)
}

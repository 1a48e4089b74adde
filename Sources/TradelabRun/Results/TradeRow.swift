import TradelabCore

/// One trade as every surface shows it (results, `/trades`, live states, `trades.csv`, the web
/// table, Python): a core ``Trade`` with its run number and ISO 8601 UTC times.
public struct TradeRow: Sendable, Codable, Equatable {
    /// 1-based run number (1 for a single run).
    public var run: Int
    /// `long` or `short`.
    public var side: Side
    /// Units held.
    public var quantity: Double
    /// Bar index of the entry within its run.
    public var entryIndex: Int
    /// Entry time, ISO 8601 UTC.
    public var entryTime: String
    /// Entry fill price.
    public var entryPrice: Double
    /// Bar index of the exit within its run.
    public var exitIndex: Int
    /// Exit time (the last bar's time for an open trade), ISO 8601 UTC.
    public var exitTime: String
    /// Exit fill price (the last close for an open trade).
    public var exitPrice: Double
    /// Profit or loss in cash, fees included.
    public var pnl: Double
    /// Profit or loss as a fraction of the entry value.
    public var pnlPercent: Double
    /// Commissions paid.
    public var fees: Double
    /// Bars from entry to exit.
    public var barsHeld: Int
    /// Maximum favourable excursion (fraction).
    public var mfe: Double
    /// Maximum adverse excursion (fraction, <= 0).
    public var mae: Double
    /// Why it ended (`open` while it has not).
    public var exitReason: ExitReason
    /// Stop-loss and take-profit were both inside the exit bar (the stop was assumed).
    public var ambiguous: Bool
    /// Stop-loss level, if one was set.
    public var stopLoss: Double?
    /// Take-profit level, if one was set.
    public var takeProfit: Double?

    /// The row of `trade` from run `run`.
    public init(_ trade: Trade, run: Int) {
        self.run = run
        side = trade.side
        quantity = trade.quantity
        entryIndex = trade.entryIndex
        entryTime = UTCTime.format(trade.entryTime)
        entryPrice = trade.entryPrice
        exitIndex = trade.exitIndex
        exitTime = UTCTime.format(trade.exitTime)
        exitPrice = trade.exitPrice
        pnl = trade.pnl
        pnlPercent = trade.pnlPercent
        fees = trade.fees
        barsHeld = trade.barsHeld
        mfe = trade.mfe
        mae = trade.mae
        exitReason = trade.exitReason
        ambiguous = trade.ambiguous
        stopLoss = trade.stopLoss
        takeProfit = trade.takeProfit
    }

    /// Whether the trade is still open.
    public var isOpen: Bool { exitReason == .open }
}

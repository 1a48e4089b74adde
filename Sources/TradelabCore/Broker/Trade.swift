/// Direction of a position or trade.
public enum Side: String, Sendable, Codable {
    case long, short

    /// +1 for long, -1 for short.
    @inlinable public var sign: Double { self == .long ? 1 : -1 }
}

/// Why a trade ended.
public enum ExitReason: String, Sendable, Codable {
    /// A strategy action (sell, close, revert, or an opposite entry) closed it at the next fill.
    case signal
    /// Its stop-loss level was reached.
    case stopLoss = "stop_loss"
    /// Its take-profit level was reached.
    case takeProfit = "take_profit"
    /// The backtest closed it on the last bar (only when `closeAtEnd` is set).
    case endOfData = "end_of_data"
    /// Equity reached zero: every position was closed at that bar's close and trading stopped.
    case liquidated
    /// Still open when the data ended; valued at the last close, no exit fee.
    case open
}

/// One round trip: an entry and (unless still open) its exit.
public struct Trade: Sendable, Codable, Equatable {
    /// Long or short.
    public var side: Side
    /// Units held, always positive.
    public var quantity: Double
    /// Bar index of the entry fill.
    public var entryIndex: Int
    /// Entry fill time, UTC milliseconds (the bar's open time; for fill-at-close, the bar's).
    public var entryTime: Int64
    /// Entry fill price, slippage included.
    public var entryPrice: Double
    /// Bar index of the exit fill (the last bar for an open trade).
    public var exitIndex: Int
    /// Exit fill time, UTC milliseconds (last bar's time for an open trade).
    public var exitTime: Int64
    /// Exit fill price (the last close for an open trade).
    public var exitPrice: Double
    /// Profit or loss in cash, net of entry and exit fees.
    public var pnl: Double
    /// Return on the entry notional, net of fees: `sign * (exit / entry - 1) - fees / (quantity * entry)`.
    public var pnlPercent: Double
    /// Entry plus exit fees paid (exit fee is 0 for an open trade).
    public var fees: Double
    /// Bars from entry to exit (`exitIndex - entryIndex`).
    public var barsHeld: Int
    /// Maximum favourable excursion: best price move in the trade's favour, as a fraction of entry price.
    public var mfe: Double
    /// Maximum adverse excursion: worst price move against the trade, as a fraction of entry price (<= 0).
    public var mae: Double
    /// Why the trade ended.
    public var exitReason: ExitReason
    /// True when stop-loss and take-profit both lay inside the exit bar: the stop was assumed first.
    public var ambiguous: Bool
    /// Stop-loss level, if one was set.
    public var stopLoss: Double?
    /// Take-profit level, if one was set.
    public var takeProfit: Double?

    /// Creates a trade field by field.
    public init(side: Side, quantity: Double, entryIndex: Int, entryTime: Int64, entryPrice: Double, exitIndex: Int, exitTime: Int64,
                exitPrice: Double, pnl: Double, pnlPercent: Double, fees: Double, barsHeld: Int, mfe: Double, mae: Double,
                exitReason: ExitReason, ambiguous: Bool, stopLoss: Double? = nil, takeProfit: Double? = nil) {
        self.side = side
        self.quantity = quantity
        self.entryIndex = entryIndex
        self.entryTime = entryTime
        self.entryPrice = entryPrice
        self.exitIndex = exitIndex
        self.exitTime = exitTime
        self.exitPrice = exitPrice
        self.pnl = pnl
        self.pnlPercent = pnlPercent
        self.fees = fees
        self.barsHeld = barsHeld
        self.mfe = mfe
        self.mae = mae
        self.exitReason = exitReason
        self.ambiguous = ambiguous
        self.stopLoss = stopLoss
        self.takeProfit = takeProfit
    }

    /// True while the trade has not been closed.
    public var isOpen: Bool { exitReason == .open }
}

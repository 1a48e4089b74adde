/// A trade while it is open, with what the broker needs to close it later.
struct OpenTrade: Sendable {
    var side: Side
    var quantity: Double
    var entryIndex: Int
    var entryTime: Int64
    var entryPrice: Double
    var entryFee: Double
    var stopLoss: Double?
    var takeProfit: Double?
    /// First bar whose high/low may trigger the stop-loss or take-profit: the entry bar for a
    /// fill at the open, the next bar for an intrabar or at-close fill (its path is unknown).
    var exitsFrom: Int

    /// Signed units.
    var signedQuantity: Double { side.sign * quantity }

    /// Best and worst prices from the trade's point of view between its entry and bar `index`:
    /// the entry price, the entry bar's close when the fill was intrabar or at the close, and the
    /// full range of every later bar (of the entry bar too for a fill at the open).
    /// - Complexity: O(bars held), once per trade.
    func excursion(through index: Int, high: [Double], low: [Double], close: [Double]) -> (best: Double, worst: Double) {
        var highest = entryPrice, lowest = entryPrice
        if exitsFrom > entryIndex {
            highest = max(highest, close[entryIndex])
            lowest = min(lowest, close[entryIndex])
        }
        if exitsFrom <= index {
            for j in exitsFrom...index {
                highest = max(highest, high[j])
                lowest = min(lowest, low[j])
            }
        }
        return side == .long ? (highest, lowest) : (lowest, highest)
    }

    /// The finished trade for an exit at `price` on bar `index`.
    func closed(at price: Double, index: Int, time: Int64, fee: Double, reason: ExitReason, ambiguous: Bool = false,
                extremes: (best: Double, worst: Double)) -> Trade {
        let sign = side.sign
        let (best, worst) = extremes
        let fees = entryFee + fee
        return Trade(
            side: side, quantity: quantity, entryIndex: entryIndex, entryTime: entryTime, entryPrice: entryPrice,
            exitIndex: index, exitTime: time, exitPrice: price,
            pnl: sign * quantity * (price - entryPrice) - fees,
            pnlPercent: sign * (price / entryPrice - 1) - fees / (quantity * entryPrice),
            fees: fees, barsHeld: index - entryIndex,
            mfe: sign * (best - entryPrice) / entryPrice, mae: min(0, sign * (worst - entryPrice) / entryPrice),
            exitReason: reason, ambiguous: ambiguous, stopLoss: stopLoss, takeProfit: takeProfit)
    }
}

/// An order waiting for its fill: a market order for the next bar, or a stop/limit entry.
struct PendingOrder: Sendable {
    var action: Action
    var signalIndex: Int
}

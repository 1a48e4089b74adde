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
    /// Best price seen in the trade's favour, and worst against it.
    var best: Double
    var worst: Double
    /// First bar whose high/low may trigger the stop-loss or take-profit: the entry bar for a
    /// fill at the open, the next bar for an intrabar or at-close fill (its path is unknown).
    var exitsFrom: Int

    /// Signed units.
    var signedQuantity: Double { side.sign * quantity }

    /// Folds a price range into the excursion extremes.
    mutating func observe(high: Double, low: Double) {
        if side == .long {
            best = max(best, high)
            worst = min(worst, low)
        } else {
            best = min(best, low)
            worst = max(worst, high)
        }
    }

    /// The finished trade for an exit at `price` on bar `index`.
    func closed(at price: Double, index: Int, time: Int64, fee: Double, reason: ExitReason, ambiguous: Bool = false) -> Trade {
        let sign = side.sign
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

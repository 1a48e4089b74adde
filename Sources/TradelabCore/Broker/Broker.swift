/// The simulated account: cash, open trades, pending orders, and the record of what happened.
///
/// The broker never looks ahead: ``fillPending(at:)`` and ``checkExits(at:)`` use only bar `i`'s
/// open, high and low, and orders decided on bar `i` are queued for bar `i + 1` (or executed at
/// bar `i`'s close in ``FillMode/close``). Every fill assumption is documented in `docs/fills.md`.
struct Broker: Sendable {
    let config: AccountConfig
    let timestamps: [Int64]
    let open: [Double], high: [Double], low: [Double], close: [Double]
    let slip: Double

    var cash: Double
    var trades: [OpenTrade] = []
    var position: Double = 0
    var pending: [PendingOrder] = []
    var closedTrades: [Trade] = []
    var orders: [OrderLogEntry] = []
    /// True for a run that keeps only its metrics: no order is logged (nor its note written) and
    /// closed trades carry no excursions (MFE and MAE are 0; no metric reads them).
    var metricsOnly = false
    var realizedPnl: Double = 0
    /// Set when equity reached zero: everything was closed and no order is accepted any more.
    var halted = false
    /// Average entry price of the open trades (NaN when flat), kept by ``recomputePosition()``.
    var averageEntryPrice: Double = .nan
    /// True while some open trade has a stop-loss or take-profit to watch.
    var watchesExits = false

    init(config: AccountConfig, bars: BarSeries) {
        self.config = config
        timestamps = bars.timestamps
        open = bars.open
        high = bars.high
        low = bars.low
        close = bars.close
        slip = config.slippageBps / 10_000
        cash = config.initialCash
    }

    /// Equity with positions marked at `price`.
    @inline(__always)
    func equity(at price: Double) -> Double { cash + position * price }

    // MARK: Orders from the strategy

    /// Accepts the strategy's action decided on bar `index`. In next-open mode it waits for the
    /// next bar; in fill-at-close mode a market action executes now at this bar's close.
    mutating func submit(_ action: Action, at index: Int) {
        guard action.kind != .hold, !halted else { return }
        // A new decision replaces orders still waiting (unfilled stops and limits).
        for order in pending { log(order, index: index, status: .cancelled, note: "replaced by a later action") }
        pending.removeAll(keepingCapacity: true)
        if config.fillMode == .close, !action.isConditional {
            execute(action, signalIndex: index, index: index, base: close[index], kind: .market, exitsFrom: index + 1)
        } else {
            pending.append(PendingOrder(action: action, signalIndex: index))
        }
    }

    /// Fills the orders that bar `i` triggers: market orders at its open; stop and limit entries
    /// when its range reaches their price (at the open when it gaps through).
    mutating func fillPending(at i: Int) {
        guard !pending.isEmpty else { return }
        var orders: [PendingOrder] = []
        swap(&orders, &pending)               // move, not copy: fills below may queue orders again
        defer {
            // Keep the buffer for the next orders instead of allocating a new one each time.
            if pending.isEmpty {
                orders.removeAll(keepingCapacity: true)
                swap(&orders, &pending)
            }
        }
        for order in orders {
            let action = order.action
            guard action.isConditional else {
                execute(action, signalIndex: order.signalIndex, index: i, base: open[i], kind: .market, exitsFrom: i)
                continue
            }
            guard let buying = buysFirst(action.kind) else {
                log(order, index: i, status: .cancelled, note: "nothing to \(action.kind.rawValue)")
                continue
            }
            let o = open[i], h = high[i], l = low[i]
            if let stop = action.stop {
                let triggered = buying ? h >= stop : l <= stop
                if !triggered { pending.append(order); continue }
                let gapped = buying ? o >= stop : o <= stop
                execute(action, signalIndex: order.signalIndex, index: i, base: gapped ? o : stop,
                        kind: .stop, exitsFrom: gapped ? i : i + 1)
            } else if let limit = action.limit {
                let touched = buying ? l <= limit : h >= limit
                if !touched { pending.append(order); continue }
                let gapped = buying ? o <= limit : o >= limit
                execute(action, signalIndex: order.signalIndex, index: i, base: gapped ? o : limit,
                        kind: .limit, exitsFrom: gapped ? i : i + 1)
            }
        }
    }

    /// Whether an action's first fill buys (true), sells (false), or has nothing to do (nil).
    func buysFirst(_ kind: Action.Kind) -> Bool? {
        switch kind {
        case .hold: nil
        case .buy: true
        case .sell: position > 0 || config.allowShort ? false : nil
        case .close, .revert: position > 0 ? false : position < 0 ? true : nil
        }
    }

    enum FillKind { case market, stop, limit }

    /// Executes an action at a base price on bar `index` (see ``Action`` for the semantics).
    mutating func execute(_ action: Action, signalIndex: Int, index: Int, base: Double, kind: FillKind, exitsFrom: Int) {
        // Slippage works against the trader on market and stop fills; limits fill at their price.
        let buyPrice = kind == .limit ? base : base * (1 + slip)
        let sellPrice = kind == .limit ? base : base * (1 - slip)
        let name = action.kind.rawValue
        switch action.kind {
        case .hold:
            return
        case .close:
            if position > 0 { closeAll(.long, price: sellPrice, index: index, signalIndex: signalIndex, action: name, reason: .signal) }
            if position < 0 { closeAll(.short, price: buyPrice, index: index, signalIndex: signalIndex, action: name, reason: .signal) }
        case .buy:
            if position < 0 { closeAll(.short, price: buyPrice, index: index, signalIndex: signalIndex, action: name, reason: .signal) }
            enter(.long, action: action, price: buyPrice, index: index, signalIndex: signalIndex, exitsFrom: exitsFrom)
        case .sell:
            if position > 0 { closeAll(.long, price: sellPrice, index: index, signalIndex: signalIndex, action: name, reason: .signal) }
            if config.allowShort {
                enter(.short, action: action, price: sellPrice, index: index, signalIndex: signalIndex, exitsFrom: exitsFrom)
            }
        case .revert:
            if position > 0 {
                closeAll(.long, price: sellPrice, index: index, signalIndex: signalIndex, action: name, reason: .signal)
                if config.allowShort {
                    enter(.short, action: action, price: sellPrice, index: index, signalIndex: signalIndex, exitsFrom: exitsFrom)
                }
            } else if position < 0 {
                closeAll(.short, price: buyPrice, index: index, signalIndex: signalIndex, action: name, reason: .signal)
                enter(.long, action: action, price: buyPrice, index: index, signalIndex: signalIndex, exitsFrom: exitsFrom)
            }
        }
    }

    // MARK: Entries

    /// Cash the account can commit to a new entry at `price`: equity minus the value of open trades.
    func marginAvailable(at price: Double) -> Double {
        var committed = 0.0
        for t in trades { committed += t.quantity * price }
        return max(0, equity(at: price) - committed)
    }

    /// Opens a trade if the side has room and the account can afford it; records a rejection otherwise.
    mutating func enter(_ side: Side, action: Action, price: Double, index: Int, signalIndex: Int, exitsFrom: Int) {
        var sameSide = 0
        for t in trades where t.side == side { sameSide += 1 }
        guard sameSide < config.maxOpenTrades else { return }
        let sideName = side == .long ? "buy" : "sell"
        func reject(_ note: @autoclosure () -> String) {
            if !metricsOnly {
                orders.append(OrderLogEntry(signalIndex: signalIndex, index: index, time: timestamps[index], action: action.kind.rawValue,
                                            side: sideName, quantity: 0, price: nil, fee: 0, status: .rejected, note: note()))
            }
        }
        let available = marginAvailable(at: price)
        let quantity: Double
        var perUnitCost = price * (1 + config.commissionRate)
        switch (action.size ?? config.sizing, config.convention) {
        case (.fractionOfEquity(let f), .backtestingPy):
            perUnitCost = price + (config.commissionFixed + f * price * config.commissionRate) / f
            quantity = pythonFloorDivide(available * f, perUnitCost)
        case (.fractionOfEquity(let f), .standard):
            quantity = (available * f - config.commissionFixed) / perUnitCost
        case (.cash(let amount), _):
            quantity = (amount - config.commissionFixed) / perUnitCost
        case (.quantity(let q), _):
            quantity = q
        }
        let units = config.fractional ? quantity : quantity.rounded(.down)
        guard units > 0, units.isFinite else {
            reject("insufficient funds: \(formatNumber(available.roundedToCents)) available buys no \(config.fractional ? "" : "whole ")unit at \(formatNumber(price))")
            return
        }
        let fee = config.fee(quantity: units, price: price)
        let cost = config.convention == .backtestingPy ? units * perUnitCost : units * price + fee
        guard cost <= available * (1 + 1e-12) else {
            reject("insufficient funds: needs \(formatNumber(cost.roundedToCents)), available \(formatNumber(available.roundedToCents))")
            return
        }
        cash -= side.sign * units * price + fee
        let sl = action.stopLoss ?? (action.stopLossFraction ?? config.stopLossFraction).map { price * (1 - side.sign * $0) }
        let tp = action.takeProfit ?? (action.takeProfitFraction ?? config.takeProfitFraction).map { price * (1 + side.sign * $0) }
        trades.append(OpenTrade(side: side, quantity: units, entryIndex: index, entryTime: timestamps[index], entryPrice: price,
                                entryFee: fee, stopLoss: sl, takeProfit: tp, exitsFrom: exitsFrom))
        recomputePosition()
        if !metricsOnly {
            orders.append(OrderLogEntry(signalIndex: signalIndex, index: index, time: timestamps[index], action: action.kind.rawValue,
                                        side: sideName, quantity: units, price: price, fee: fee, status: .filled, note: side == .long ? "open long" : "open short"))
        }
    }

    // MARK: Exits

    /// Closes every open trade of `side` at `price`, oldest first.
    mutating func closeAll(_ side: Side, price: Double, index: Int, signalIndex: Int, action: String, reason: ExitReason) {
        var k = 0
        while k < trades.count {
            guard trades[k].side == side else { k += 1; continue }
            let t = trades.remove(at: k)
            closeTrade(t, price: price, index: index, signalIndex: signalIndex, action: action, reason: reason)
        }
    }

    /// Recomputes what derives from the open trades: the signed position (exactly 0 when none is
    /// open), the average entry price, and whether any stop-loss or take-profit needs watching.
    mutating func recomputePosition() {
        var sum = 0.0, units = 0.0, cost = 0.0
        var watch = false
        for t in trades {
            sum += t.signedQuantity
            units += t.quantity
            cost += t.quantity * t.entryPrice
            watch = watch || t.stopLoss != nil || t.takeProfit != nil
        }
        position = sum
        averageEntryPrice = trades.isEmpty ? .nan : cost / units
        watchesExits = watch
    }

    /// Books the exit of one trade (the caller removes it from `trades` first).
    mutating func closeTrade(_ t: OpenTrade, price: Double, index: Int, signalIndex: Int, action: String,
                             reason: ExitReason, ambiguous: Bool = false) {
        let fee = config.fee(quantity: t.quantity, price: price)
        cash += t.signedQuantity * price - fee
        recomputePosition()
        let trade = t.closed(at: price, index: index, time: timestamps[index], fee: fee, reason: reason, ambiguous: ambiguous,
                             extremes: metricsOnly ? (t.entryPrice, t.entryPrice) : t.excursion(through: index, high: high, low: low, close: close))
        realizedPnl += trade.pnl
        closedTrades.append(trade)
        if !metricsOnly {
            orders.append(OrderLogEntry(signalIndex: signalIndex, index: index, time: timestamps[index], action: action,
                                        side: t.side == .long ? "sell" : "buy", quantity: t.quantity, price: price, fee: fee,
                                        status: .filled, note: ambiguous ? "close (ambiguous bar: stop-loss assumed first)" : t.side == .long ? "close long" : "close short"))
        }
    }

    /// Stop-loss and take-profit exits on bar `i` (call only when ``watchesExits``).
    ///
    /// A level the open gaps through fills at the open; a level inside the range fills at the level.
    /// When both lie inside one bar the stop-loss is assumed to have fired first and the trade is
    /// flagged ambiguous.
    mutating func checkExits(at i: Int) {
        guard !trades.isEmpty else { return }
        let o = open[i], h = high[i], l = low[i]
        var k = 0
        while k < trades.count {
            let t = trades[k]
            // A trade filled intrabar or at the close has an unknown path on its entry bar.
            guard t.exitsFrom <= i, t.stopLoss != nil || t.takeProfit != nil else { k += 1; continue }
            let long = t.side == .long
            let slHit = t.stopLoss.map { long ? l <= $0 : h >= $0 } ?? false
            let tpHit = t.takeProfit.map { long ? h >= $0 : l <= $0 } ?? false
            guard slHit || tpHit else { k += 1; continue }
            // A stop-loss is a stop order (slippage applies); a take-profit is a limit order.
            let adverse = long ? 1 - slip : 1 + slip
            let price: Double, reason: ExitReason
            var ambiguous = false
            if slHit, let s = t.stopLoss, long ? o <= s : o >= s {
                (price, reason) = (o * adverse, .stopLoss)                 // gapped through the stop
            } else if tpHit, let p = t.takeProfit, long ? o >= p : o <= p {
                (price, reason) = (o, .takeProfit)                         // gapped through the target
            } else if slHit, let s = t.stopLoss {
                (price, reason) = (s * adverse, .stopLoss)
                ambiguous = tpHit                                          // both inside the bar: stop first
            } else {
                (price, reason) = (t.takeProfit!, .takeProfit)
            }
            trades.remove(at: k)
            closeTrade(t, price: price, index: i, signalIndex: i, action: reason.rawValue, reason: reason, ambiguous: ambiguous)
        }
    }

    /// Closes everything at bar `i`'s close (end of data, or equity exhausted).
    mutating func liquidate(at i: Int, reason: ExitReason, action: String) {
        let price = close[i]
        closeAll(.long, price: price, index: i, signalIndex: i, action: action, reason: reason)
        closeAll(.short, price: price, index: i, signalIndex: i, action: action, reason: reason)
    }

    /// Trades still open, valued at the last close without an exit fee.
    func openTradesMarked(at i: Int) -> [Trade] {
        trades.map { t in
            var trade = t.closed(at: close[i], index: i, time: timestamps[i], fee: 0, reason: .open,
                                 extremes: t.excursion(through: i, high: high, low: low, close: close))
            trade.fees = t.entryFee
            return trade
        }
    }

    /// Records an order that ended without a fill.
    mutating func log(_ order: PendingOrder, index: Int, status: OrderStatus, note: @autoclosure () -> String) {
        let side = buysFirst(order.action.kind).map { $0 ? "buy" : "sell" } ?? "none"
        if !metricsOnly {
            orders.append(OrderLogEntry(signalIndex: order.signalIndex, index: index, time: timestamps[index],
                                        action: order.action.description, side: side, quantity: 0, price: nil, fee: 0,
                                        status: status, note: note()))
        }
    }
}

extension Double {
    /// Rounded to two decimals, for messages.
    var roundedToCents: Double { (self * 100).rounded() / 100 }
}

/// Python's float floor division `a // b`, reproduced exactly (fmod-based, as CPython computes it),
/// so the backtesting.py sizing convention gives the same whole units.
func pythonFloorDivide(_ a: Double, _ b: Double) -> Double {
    var mod = a.truncatingRemainder(dividingBy: b)
    var div = (a - mod) / b
    if mod != 0, (b < 0) != (mod < 0) {
        mod += b
        div -= 1
    }
    guard div != 0 else { return Double(signOf: a / b, magnitudeOf: 0) }
    var floored = div.rounded(.down)
    if div - floored > 0.5 { floored += 1 }
    return floored
}

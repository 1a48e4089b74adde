import TradelabCore

/// Builds the live state of a run incrementally: each update looks only at the bars, trades and
/// orders that are new since the previous one, so streaming costs O(bars) in total.
struct LiveTracker {
    private static let recentLimit = 10
    private static let curveLimit = 120

    let totalCandles: Int
    let runs: Int
    private(set) var run = 0
    private var barsBefore = 0                // bars of the runs already finished
    private var processed = 0                 // bars of the current run
    private var currentTime: Int64?
    private var capital = 0.0
    private var peak = 0.0
    private var openTrades = 0
    private var tradesSeen = 0, ordersSeen = 0
    private var wins = 0, losses = 0, closed = 0
    private var totalPnl = 0.0
    private var recentTrades: [LiveState.RecentTrade] = []
    private var recentSignals: [LiveState.Signal] = []
    private var curve: [LiveState.EquityPoint] = []
    private var curveStep = 1

    init(totalCandles: Int, runs: Int) {
        self.totalCandles = totalCandles
        self.runs = runs
    }

    /// Starts run `run` (1-based) with the account's initial cash.
    mutating func begin(run: Int, initialCash: Double) {
        barsBefore += processed
        processed = 0
        self.run = run
        capital = initialCash
        peak = initialCash
        tradesSeen = 0
        ordersSeen = 0
        curve = []
        curveStep = 1
    }

    /// Takes in what the session processed since the last update.
    mutating func update<S: Strategy>(_ session: BacktestSession<S>) {
        let start = processed, end = session.nextIndex
        if end > start {
            let values = session.equityValues(start..<end)
            for (k, value) in values.enumerated() {
                peak = max(peak, value)
                let index = start + k
                if index % curveStep == 0 {
                    curve.append(.init(time: session.bars.timestamps[index] / 1000, value: value))
                    if curve.count > Self.curveLimit {
                        curve = curve.enumerated().compactMap { $0.offset % 2 == 0 ? $0.element : nil }
                        curveStep *= 2
                    }
                }
            }
            capital = values[values.count - 1]
            currentTime = session.bars.timestamps[end - 1]
        }
        processed = end
        openTrades = session.openTradeCount
        for trade in session.closedTrades(from: tradesSeen) {
            closed += 1
            totalPnl += trade.pnl
            if trade.pnl > 0 { wins += 1 } else if trade.pnl < 0 { losses += 1 }
            recentTrades.append(.init(run: run, side: trade.side.rawValue, entryTime: UTCTime.format(trade.entryTime),
                                      exitTime: UTCTime.format(trade.exitTime), entryPrice: trade.entryPrice,
                                      exitPrice: trade.exitPrice, pnl: trade.pnl, pnlPercent: trade.pnlPercent,
                                      exitReason: trade.exitReason.rawValue))
        }
        tradesSeen = session.closedTradeCount
        for order in session.orders(from: ordersSeen) {
            recentSignals.append(.init(time: UTCTime.format(order.time), action: order.action, side: order.side,
                                       price: order.price, status: order.status.rawValue, run: run))
        }
        ordersSeen = session.orderCount
        if recentTrades.count > Self.recentLimit { recentTrades.removeFirst(recentTrades.count - Self.recentLimit) }
        if recentSignals.count > Self.recentLimit { recentSignals.removeFirst(recentSignals.count - Self.recentLimit) }
    }

    /// Bars processed over all runs.
    var currentCandleIndex: Int { barsBefore + processed }

    /// The state to publish.
    func state(status: String) -> LiveState {
        let done = currentCandleIndex
        return LiveState(
            status: status, currentTime: currentTime.map { UTCTime.format($0) }, currentCandleIndex: done,
            totalCandles: totalCandles,
            progressPercent: totalCandles > 0 ? Double(done) * 100 / Double(totalCandles) : 100,
            currentCapital: capital, peakCapital: peak, drawdown: peak > 0 ? min(0, capital / peak - 1) : 0,
            openTrades: openTrades, recentSignals: recentSignals, recentTrades: recentTrades,
            metrics: .init(totalTrades: closed, winningTrades: wins, losingTrades: losses,
                           winRate: closed > 0 ? Double(wins) / Double(closed) : 0, totalPnl: totalPnl, equityCurve: curve),
            run: run, runs: runs)
    }
}

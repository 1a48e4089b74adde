import TradelabCore

/// Builds the live state of a run incrementally: each update looks only at the bars, trades and
/// orders that are new since the previous one, so streaming costs O(bars) in total.
public struct LiveTracker: Sendable {
    private static let recentLimit = 10
    private static let curveLimit = 120

    /// Bars to process over all runs.
    public let totalCandles: Int
    /// Number of runs.
    public let runs: Int
    private(set) var run = 0
    private var barsBefore = 0                // bars of the runs already finished
    private var processed = 0                 // bars of the current run
    private var currentTime: Int64?
    private var initialCash = 0.0
    private var capital = 0.0
    private var peak = 0.0
    private var maxDrawdown = 0.0
    private var realized = 0.0                // the current run's closed trades
    private var openTrades = 0
    private var tradesSeen = 0, ordersSeen = 0
    private var wins = 0, losses = 0, closed = 0
    private var totalPnl = 0.0
    private var recentTrades: [TradeRow] = []
    private var recentSignals: [OrderRow] = []
    private var curve: [LiveState.EquityPoint] = []
    private var curveStep = 1

    /// Creates a tracker for `runs` runs of `totalCandles` bars in all.
    public init(totalCandles: Int, runs: Int) {
        self.totalCandles = totalCandles
        self.runs = runs
    }

    /// Starts run `run` (1-based) with the account's initial cash.
    public mutating func begin(run: Int, initialCash: Double) {
        barsBefore += processed
        processed = 0
        self.run = run
        self.initialCash = initialCash
        capital = initialCash
        peak = initialCash
        maxDrawdown = 0
        realized = 0
        tradesSeen = 0
        ordersSeen = 0
        curve = []
        curveStep = 1
    }

    /// Takes in what the session processed since the last update.
    public mutating func update(_ session: some SteppedBacktest) {
        let start = processed, end = session.nextIndex
        if end > start {
            let values = session.equityValues(start..<end)
            let times = session.bars.timestamps
            for (k, value) in values.enumerated() {
                peak = max(peak, value)
                if peak > 0 { maxDrawdown = min(maxDrawdown, value / peak - 1) }
                let index = start + k
                if index % curveStep == 0 {
                    curve.append(.init(time: times[index] / 1000, value: value))
                    if curve.count > Self.curveLimit {
                        curve = curve.enumerated().compactMap { $0.offset % 2 == 0 ? $0.element : nil }
                        curveStep *= 2
                    }
                }
            }
            capital = values[values.count - 1]
            currentTime = times[end - 1]
        }
        processed = end
        openTrades = session.openTradeCount
        for trade in session.closedTrades(from: tradesSeen) {
            closed += 1
            totalPnl += trade.pnl
            realized += trade.pnl
            if trade.pnl > 0 { wins += 1 } else if trade.pnl < 0 { losses += 1 }
            recentTrades.append(TradeRow(trade, run: run))
        }
        tradesSeen = session.closedTradeCount
        for order in session.orders(from: ordersSeen) { recentSignals.append(OrderRow(order, run: run)) }
        ordersSeen = session.orderCount
        if recentTrades.count > Self.recentLimit { recentTrades.removeFirst(recentTrades.count - Self.recentLimit) }
        if recentSignals.count > Self.recentLimit { recentSignals.removeFirst(recentSignals.count - Self.recentLimit) }
    }

    /// Bars processed over all runs.
    public var currentCandleIndex: Int { barsBefore + processed }

    /// The state to publish.
    public func state(status: String) -> LiveState {
        let done = currentCandleIndex
        return LiveState(
            currentCandleIndex: done, currentTime: currentTime.map { UTCTime.format($0) }, status: status, totalCandles: totalCandles,
            progressPercent: totalCandles > 0 ? Double(done) * 100 / Double(totalCandles) : 100,
            currentCapital: capital, peakCapital: peak, drawdown: peak > 0 ? min(0, capital / peak - 1) : 0, maxDrawdown: maxDrawdown,
            realizedPnl: realized, unrealizedPnl: run > 0 ? capital - initialCash - realized : 0, openTrades: openTrades,
            recentSignals: recentSignals, recentTrades: recentTrades,
            metrics: .init(totalTrades: closed, winningTrades: wins, losingTrades: losses,
                           winRate: closed > 0 ? Double(wins) / Double(closed) : 0, totalPnl: totalPnl, equityCurve: curve),
            run: run, runs: runs)
    }
}

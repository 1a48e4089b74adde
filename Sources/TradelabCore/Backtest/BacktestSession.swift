/// A backtest that advances a given number of bars at a time.
///
/// The loop for bar `i` is: fill the orders pending from bar `i-1` (market at the open, stops and
/// limits intrabar) -> stop-loss / take-profit exits -> mark to market at the close -> the strategy
/// sees bar `i` and decides -> its orders wait for bar `i+1`. Bars on which nothing can happen
/// (no order waits, no stop is watched, and ``Strategy/nextDecision(from:)`` says the strategy
/// holds) are only marked to market. Advancing in slices gives exactly the
/// same result as one uninterrupted run, which is what pause/resume and live progress rely on.
///
/// ```swift
/// var session = try BacktestSession(strategy: SmaCross(fast: 10, slow: 20), bars: bars, config: .init())
/// while !session.isFinished { session.advance(by: 10_000); report(session.progress) }
/// let result = session.result()
/// ```
public struct BacktestSession<S: Strategy>: Sendable {
    /// The bars being replayed.
    public let bars: BarSeries
    /// The account settings.
    public let config: AccountConfig
    /// The strategy being run (its state after the bars processed so far).
    public private(set) var strategy: S
    var broker: Broker
    var context: StrategyContext
    /// Per-bar columns, allocated once at full length; only `0..<nextIndex` is meaningful.
    var equity: [Double]
    var cash: [Double]
    var position: [Double]
    /// Index of the next bar to process (= bars processed so far).
    public private(set) var nextIndex = 0
    /// The strategy's failure, once it failed; the session then processes no more bars.
    public private(set) var failure: (any Error)?

    /// Prepares a run: validates the settings and lets the strategy precompute its indicators.
    /// - Throws: ``ConfigError`` for bad settings, ``BacktestError`` for unusable data, or the
    ///   strategy's own error from `prepare`.
    public init(strategy: S, bars: BarSeries, config: AccountConfig) throws {
        (self.strategy, broker, context) = try Self.start(strategy, bars: bars, config: config)
        self.bars = bars
        self.config = config
        func column() -> [Double] {
            [Double](unsafeUninitializedCapacity: bars.count) { _, count in count = bars.count }
        }
        equity = column()
        cash = column()
        position = column()
    }

    /// What a run starts from: the settings validated, the strategy prepared, the broker (keeping
    /// every detail, or only what the metrics need) and the context at the first bar.
    static func start(_ strategy: S, bars: BarSeries, config: AccountConfig, metricsOnly: Bool = false) throws -> (S, Broker, StrategyContext) {
        try config.validate()
        guard !bars.isEmpty else { throw BacktestError.noBars }
        var strategy = strategy
        try strategy.prepare(bars: bars)
        var broker = Broker(config: config, bars: bars)
        broker.metricsOnly = metricsOnly
        return (strategy, broker, StrategyContext(bars: bars, cash: config.initialCash))
    }

    /// True once every bar was processed.
    public var isFinished: Bool { nextIndex >= bars.count || failure != nil }
    /// Fraction of bars processed, 0...1.
    public var progress: Double { Double(nextIndex) / Double(bars.count) }
    /// Equity after the last processed bar.
    public var currentEquity: Double { nextIndex > 0 ? equity[nextIndex - 1] : config.initialCash }
    /// Trades closed so far.
    public var closedTrades: [Trade] { broker.closedTrades }
    /// Trades open now.
    public var openTradeCount: Int { broker.trades.count }
    /// Number of trades closed so far.
    public var closedTradeCount: Int { broker.closedTrades.count }
    /// Number of orders logged so far (filled, rejected and cancelled).
    public var orderCount: Int { broker.orders.count }

    /// Copies of the trades closed since the first `start` ones, for incremental live views.
    /// A copy (not a slice) keeps the broker's array uniquely owned, so the run never copies it.
    /// - Complexity: O(new trades).
    public func closedTrades(from start: Int) -> [Trade] {
        let trades = broker.closedTrades
        return start < trades.count ? Array(trades[max(0, start)...]) : []
    }

    /// Copies of the log entries of orders from index `start` on (see ``closedTrades(from:)``).
    /// - Complexity: O(new orders).
    public func orders(from start: Int) -> [OrderLogEntry] {
        let orders = broker.orders
        return start < orders.count ? Array(orders[max(0, start)...]) : []
    }

    /// Equity after each processed bar in `range` (a copy; `range` must lie within the processed bars).
    public func equityValues(_ range: Range<Int>) -> [Double] {
        precondition(range.upperBound <= nextIndex, "equity of bars not processed yet")
        return Array(equity[range])
    }

    /// Processes up to `count` more bars.
    /// - Returns: The number of bars processed (0 when finished).
    @discardableResult
    public mutating func advance(by count: Int) -> Int {
        guard failure == nil else { return 0 }
        var end = min(bars.count, nextIndex + max(0, count))
        let start = nextIndex
        // Each piece of state goes in as its own argument: no overlapping access to `self`, so
        // nothing is copied or retained per bar; the columns are moved out and written through raw buffers.
        var equity: [Double] = [], cash: [Double] = [], position: [Double] = []
        swap(&equity, &self.equity)
        swap(&cash, &self.cash)
        swap(&position, &self.position)
        let closes = bars.close, closeAtEnd = config.closeAtEnd
        equity.withUnsafeMutableBufferPointer { equity in
            cash.withUnsafeMutableBufferPointer { cash in
                position.withUnsafeMutableBufferPointer { position in
                    var columns = ColumnRecorder(equity: equity, cash: cash, position: position)
                    end = Self.replay(start..<end, closes: closes, closeAtEnd: closeAtEnd, strategy: &strategy,
                                      broker: &broker, context: &context, recorder: &columns)
                }
            }
        }
        swap(&equity, &self.equity)
        swap(&cash, &self.cash)
        swap(&position, &self.position)
        if let error = strategy.failure { failure = error }
        nextIndex = end
        return end - start
    }

    /// The bar loop (see the type's documentation for the order of events).
    /// - Returns: The end of the bars processed: `range.upperBound`, or the bar after the one on
    ///   which the strategy failed.
    static func replay<R: BarRecorder>(_ range: Range<Int>, closes: [Double], closeAtEnd: Bool, strategy: inout S, broker: inout Broker,
                                       context sharedContext: inout StrategyContext, recorder shared: inout R) -> Int {
        precondition(range.upperBound <= shared.capacity && range.upperBound <= closes.count)
        // Local copies: the broker's calls cannot reach them, so their state stays in registers.
        var recorder = shared
        defer { shared = recorder }
        var context = sharedContext
        defer { sharedContext = context }
        let last = closes.count - 1
        var i = range.lowerBound
        var quietUntil = i                 // the strategy holds on the bars before this one
        while i < range.upperBound {
            if i >= quietUntil { quietUntil = strategy.nextDecision(from: i) }
            if i < quietUntil, i < last, broker.pending.isEmpty, !broker.watchesExits, !broker.halted {
                // Quiet bars: no order waits, no stop is watched and the strategy holds, so only
                // the account is marked (the same figures as below) until a bar needs more.
                let end = min(quietUntil, range.upperBound, last), cash = broker.cash, units = broker.position
                while i < end {
                    let equity = cash + units * closes[i]
                    if units != 0, equity <= 0 { break }        // a liquidation: the full path below
                    recorder.record(i, equity: equity, cash: cash, position: units)
                    i += 1
                }
                if i == end { continue }
            }
            if !broker.pending.isEmpty { broker.fillPending(at: i) }
            if broker.watchesExits { broker.checkExits(at: i) }
            let price = closes[i]
            if !broker.halted, broker.position != 0, broker.equity(at: price) <= 0 {
                broker.liquidate(at: i, reason: .liquidated, action: "liquidation")
                broker.halted = true
            }
            if !broker.halted {
                context.index = i
                context.position = broker.position
                context.cash = broker.cash
                context.equity = broker.equity(at: price)
                context.openTrades = broker.trades.count
                context.entryPrice = broker.averageEntryPrice
                context.realizedPnl = broker.realizedPnl
                let action = strategy.onBar(context)
                if strategy.failure != nil {
                    recorder.record(i, equity: broker.equity(at: price), cash: broker.cash, position: broker.position)
                    return i + 1
                }
                if action.kind != .hold { broker.submit(action, at: i) }
            }
            if i == last { finishLastBar(last, broker: &broker, closeAtEnd: closeAtEnd) }
            recorder.record(i, equity: broker.equity(at: price), cash: broker.cash, position: broker.position)
            i += 1
        }
        return range.upperBound
    }

    /// End of data: orders that would need a later bar are cancelled; open trades are closed at
    /// the last close when ``AccountConfig/closeAtEnd`` is set, else reported open.
    static func finishLastBar(_ last: Int, broker: inout Broker, closeAtEnd: Bool) {
        for order in broker.pending {
            broker.log(order, index: last, status: .cancelled, note: "no bar left to fill it")
        }
        broker.pending.removeAll()
        if closeAtEnd {
            broker.liquidate(at: last, reason: .endOfData, action: "end_of_data")
        }
    }

    /// The result so far (complete once ``isFinished``): open trades are valued at the last
    /// processed close.
    public func result() -> BacktestResult {
        let processed = nextIndex
        let complete = processed == bars.count
        func prefix<T>(_ column: [T]) -> [T] { complete ? column : Array(column[0..<processed]) }
        let trades = broker.closedTrades + (processed > 0 ? broker.openTradesMarked(at: processed - 1) : [])
        return BacktestResult(
            strategy: strategy.name, config: config, trades: trades,
            equity: EquityCurve(timestamps: prefix(bars.timestamps), equity: prefix(equity), cash: prefix(cash),
                                position: prefix(position)),
            orders: broker.orders, closes: prefix(bars.close),
            firstTradableIndex: min(strategy.warmup, max(0, processed - 1)))
    }
}

/// Why a backtest could not run.
public enum BacktestError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The series holds no bar.
    case noBars
    /// The strategy cannot run on this data (e.g. fewer bars than its warm-up).
    case strategy(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .noBars: "no bars to backtest: the data (or the selected time range) is empty"
        case .strategy(let message): message
        }
    }
}

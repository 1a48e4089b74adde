/// A backtest advanced a slice of bars at a time, with what live views read between slices.
///
/// ``BacktestSession`` conforms for any strategy; ``NativeSession`` is the built-in strategies'
/// concrete session, whose bar loop is specialized inside this module. Code in other modules that
/// is generic over `SteppedBacktest` therefore runs the specialized loop for built-ins (a generic
/// `BacktestSession<NativeStrategy>` called from another module would run the unspecialized one,
/// several times slower).
public protocol SteppedBacktest: Sendable {
    /// The bars being replayed.
    var bars: BarSeries { get }
    /// The account settings.
    var config: AccountConfig { get }
    /// Index of the next bar to process (= bars processed so far).
    var nextIndex: Int { get }
    /// True once every bar was processed or the strategy failed.
    var isFinished: Bool { get }
    /// The strategy's failure, once it failed.
    var failure: (any Error)? { get }
    /// Trades open now.
    var openTradeCount: Int { get }
    /// Number of trades closed so far.
    var closedTradeCount: Int { get }
    /// Number of orders logged so far.
    var orderCount: Int { get }
    /// Processes up to `count` more bars; returns how many were processed.
    mutating func advance(by count: Int) -> Int
    /// Copies of the trades closed since the first `start` ones.
    func closedTrades(from start: Int) -> [Trade]
    /// Copies of the order log entries from index `start` on.
    func orders(from start: Int) -> [OrderLogEntry]
    /// Equity after each processed bar in `range`.
    func equityValues(_ range: Range<Int>) -> [Double]
    /// The result so far (complete once finished).
    func result() -> BacktestResult
}

extension BacktestSession: SteppedBacktest {}

/// A session of a built-in strategy, with the bar loop specialized for ``NativeStrategy``.
public struct NativeSession: SteppedBacktest {
    private var session: BacktestSession<NativeStrategy>

    /// Prepares a run (see ``BacktestSession/init(strategy:bars:config:)``).
    /// - Throws: ``ConfigError``, ``BacktestError`` or the strategy's preparation error.
    public init(strategy: NativeStrategy, bars: BarSeries, config: AccountConfig) throws {
        session = try BacktestSession(strategy: strategy, bars: bars, config: config)
    }

    public var bars: BarSeries { session.bars }
    public var config: AccountConfig { session.config }
    public var nextIndex: Int { session.nextIndex }
    public var isFinished: Bool { session.isFinished }
    public var failure: (any Error)? { session.failure }
    public var openTradeCount: Int { session.openTradeCount }
    public var closedTradeCount: Int { session.closedTradeCount }
    public var orderCount: Int { session.orderCount }
    public mutating func advance(by count: Int) -> Int { session.advance(by: count) }
    public func closedTrades(from start: Int) -> [Trade] { session.closedTrades(from: start) }
    public func orders(from start: Int) -> [OrderLogEntry] { session.orders(from: start) }
    public func equityValues(_ range: Range<Int>) -> [Double] { session.equityValues(range) }
    public func result() -> BacktestResult { session.result() }
}

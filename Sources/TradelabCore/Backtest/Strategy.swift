/// A trading strategy driven bar by bar by the ``Backtester``.
///
/// Native Swift strategies and (later) Lua strategies implement this one protocol. A strategy is a
/// value: the backtester copies it for every run, so randomized runs never share state.
///
/// The loop calls ``prepare(bars:)`` once, then ``onBar(_:)`` for every bar after that bar's
/// pending orders were filled and the account was marked to its close. The returned ``Action`` is
/// executed at the next bar at the earliest (or at this close in the labelled fill-at-close mode).
/// `prepare` may precompute indicators over the whole series as long as each value depends only on
/// bars up to its own index (all Tradelab indicators are causal); `onBar` must read bars only up to
/// ``StrategyContext/index``.
public protocol Strategy: Sendable {
    /// Display name with parameters, e.g. "sma-cross(fast=10, slow=20)".
    var name: String { get }
    /// Bars needed before the first meaningful signal (indicator warm-up).
    var warmup: Int { get }
    /// Precomputes what the strategy needs (indicators) for these bars.
    /// - Throws: when the data cannot support the strategy.
    mutating func prepare(bars: BarSeries) throws
    /// Decides what to do after bar `context.index` closed.
    mutating func onBar(_ context: StrategyContext) -> Action
    /// Set when the strategy failed while deciding (a script error, a sandbox limit): the run stops
    /// at that bar and ``Backtester/run(_:on:progressInterval:progress:)`` throws it.
    var failure: (any Error)? { get }
    /// The first bar at or after `index` whose ``onBar(_:)`` may do anything but hold. A strategy
    /// may answer past `index` only if, on the bars in between, `onBar` would return ``Action/hold``
    /// whatever the account and change nothing in the strategy: the loop then skips those calls
    /// (and, while no order waits and no stop is watched, the broker's work on those bars).
    func nextDecision(from index: Int) -> Int
}

extension Strategy {
    /// Native strategies cannot fail mid-run.
    @inlinable public var failure: (any Error)? { nil }
    /// Every bar may decide.
    @inlinable public func nextDecision(from index: Int) -> Int { index }
}

/// What a strategy sees when deciding: the bars so far and the account.
///
/// Built once per run and updated in place, so handing it to the strategy costs nothing per bar.
public struct StrategyContext: Sendable {
    /// The whole series. Read only indices `0...index`: later bars are the future.
    public let bars: BarSeries
    /// The bar that just closed.
    public internal(set) var index: Int = 0
    /// Signed units held (negative when short).
    public internal(set) var position: Double = 0
    /// Cash, including proceeds of short sales.
    public internal(set) var cash: Double
    /// Cash plus positions marked at this bar's close.
    public internal(set) var equity: Double
    /// Trades currently open.
    public internal(set) var openTrades: Int = 0
    /// Average entry price of the open position (NaN when flat).
    public internal(set) var entryPrice: Double = .nan
    /// Profit and loss realized by closed trades so far, net of fees.
    public internal(set) var realizedPnl: Double = 0

    /// Creates a context at the first bar.
    public init(bars: BarSeries, cash: Double) {
        self.bars = bars
        self.cash = cash
        self.equity = cash
    }

    /// Close of the current bar.
    @inlinable public var close: Double { bars.close[index] }
    /// Unrealized profit of the open position at this close (before exit fees).
    public var unrealizedPnl: Double { position == 0 ? 0 : position * (close - entryPrice) }
}

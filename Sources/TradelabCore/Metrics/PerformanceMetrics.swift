/// Performance statistics of a backtest, computed from a ``BacktestResult``.
///
/// Units: returns, rates, drawdowns and exposure are **fractions** (0.05 = 5%); percentages appear
/// only in ``table()``. Cash amounts are in the account currency. Times are UTC milliseconds since
/// the epoch, durations are milliseconds and bar counts. A metric that is undefined for the data
/// (no trades, fewer than two returns, zero volatility, ...) is `nil`, never NaN. The only
/// non-finite value produced is ``profitFactor`` = `+infinity` when there are gains and no losses;
/// the `Codable` conformance writes non-finite numbers as the strings "Infinity", "-Infinity" and
/// "NaN", so a default `JSONEncoder` accepts every value.
///
/// Per-bar returns are the simple returns of the equity curve, `equity[i] / equity[i-1] - 1` for
/// `i >= 1`; a bar whose previous equity is `<= 0` yields no return (the account is ruined and a
/// return on it is undefined). See `docs/metrics.md` for every formula.
///
/// ```swift
/// let metrics = PerformanceMetrics.compute(result)
/// print(metrics.sharpeRatio ?? .nan, metrics.maxDrawdown)
/// for row in metrics.table() { print(row.label, row.value) }
/// ```
public struct PerformanceMetrics: Sendable, Equatable {
    // MARK: Period

    /// Time of the first bar of the equity curve (UTC ms); nil for an empty curve.
    public var start: Int64?
    /// Time of the last bar (UTC ms); nil for an empty curve.
    public var end: Int64?
    /// `end - start` in milliseconds (0 with fewer than two bars).
    public var durationMilliseconds: Int64 = 0
    /// Number of bars in the equity curve.
    public var barCount = 0
    /// Bars per year used to annualize (given in the options, or observed in the data); nil when
    /// it cannot be derived (fewer than two bars).
    public var periodsPerYear: Double?
    /// Annual risk-free rate used, a fraction.
    public var riskFreeRate = 0.0

    // MARK: Equity and returns

    /// Starting cash (``AccountConfig/initialCash``).
    public var initialEquity = 0.0
    /// Equity after the last bar (the initial cash for an empty curve).
    public var finalEquity = 0.0
    /// Highest equity of the curve (the initial cash for an empty curve).
    public var peakEquity = 0.0
    /// `finalEquity / initialEquity - 1`, a fraction.
    public var totalReturn = 0.0
    /// Buy-and-hold return of the traded instrument from the first tradable bar's close to the last
    /// close: `closes[last] / closes[firstTradableIndex] - 1`. nil when there is no such bar or
    /// its close is `<= 0`.
    public var buyAndHoldReturn: Double?
    /// Compound annual growth rate: `(finalEquity / initialEquity)^(1 / years) - 1` with
    /// `years = durationMilliseconds / 365.25 days`; -1 when the final equity is `<= 0`; nil with
    /// a zero span (fewer than two bars).
    public var cagr: Double?
    /// Arithmetic annualized return: mean per-bar return × periodsPerYear. nil without returns.
    public var annualizedReturn: Double?
    /// Standard deviation of per-bar returns (ddof 1) × √periodsPerYear. nil with fewer than two returns.
    public var annualizedVolatility: Double?
    /// `(mean per-bar return - riskFreeRate / periodsPerYear) / std × √periodsPerYear`.
    /// nil with fewer than two returns or when the std is numerically zero (`<= 1e-12`).
    public var sharpeRatio: Double?
    /// `(mean per-bar return - rf per bar) / downside deviation × √periodsPerYear`, where downside
    /// deviation = `sqrt(mean(min(r - rf per bar, 0)^2))` over all returns. nil without returns or
    /// when the downside deviation is numerically zero (`<= 1e-12`, no bar below the risk-free rate).
    public var sortinoRatio: Double?
    /// `cagr / |maxDrawdown|`. nil when ``cagr`` is nil or there was no drawdown.
    public var calmarRatio: Double?
    /// Deepest fall from the running peak of the equity curve, `min(equity / runningPeak - 1)`:
    /// a fraction `<= 0` (-0.25 = a 25% drawdown; -1 when equity hits 0). Same definition as
    /// ``EquityCurve/drawdown`` (bars whose running peak is `<= 0` count as 0).
    public var maxDrawdown = 0.0
    /// Longest drawdown in time: from a peak to the first later bar whose equity is back at or above
    /// it, or to the last bar if it never recovered. Milliseconds; 0 if equity never fell.
    public var maxDrawdownDurationMilliseconds: Int64 = 0
    /// Length in bars of the same drawdown as ``maxDrawdownDurationMilliseconds``.
    public var maxDrawdownDurationBars = 0
    /// Fraction of bars with a non-zero position (``EquityCurve/position``); 0 for an empty curve.
    public var exposure = 0.0
    /// Fees paid on all trades, open ones included (their entry fees), in cash.
    public var commissions = 0.0
    /// Return of each UTC calendar month, in time order.
    public var monthlyReturns: [MonthlyReturn] = []

    // MARK: Trades (closed trades unless stated)

    /// Number of closed trades.
    public var tradeCount = 0
    /// Number of trades still open at the end (not included in any other trade statistic).
    public var openTradeCount = 0
    /// Closed trades with `pnl > 0`.
    public var winningTradeCount = 0
    /// Closed trades with `pnl < 0` (a trade with `pnl == 0` is neither a win nor a loss).
    public var losingTradeCount = 0
    /// `winningTradeCount / tradeCount`, a fraction; nil without closed trades.
    public var winRate: Double?
    /// Sum of the pnl of winning trades, cash, `>= 0`.
    public var grossProfit = 0.0
    /// Sum of the pnl of losing trades, cash, `<= 0`.
    public var grossLoss = 0.0
    /// `grossProfit / |grossLoss|` (cash). `+infinity` when there are winning trades and no losing
    /// one; nil when there is neither a win nor a loss (no closed trades, or all at exactly 0).
    public var profitFactor: Double?
    /// Mean pnl per closed trade, cash; nil without closed trades.
    public var expectancy: Double?
    /// Mean return per closed trade (mean of ``Trade/pnlPercent``, a fraction); nil without closed trades.
    public var expectancyReturn: Double?
    /// Mean pnl of winning trades, cash; nil without wins.
    public var averageWin: Double?
    /// Mean pnl of losing trades, cash (negative); nil without losses.
    public var averageLoss: Double?
    /// Mean ``Trade/pnlPercent`` of winning trades (by cash pnl), a fraction; nil without wins.
    public var averageWinReturn: Double?
    /// Mean ``Trade/pnlPercent`` of losing trades (by cash pnl), a fraction; nil without losses.
    public var averageLossReturn: Double?
    /// Highest pnl of a winning trade, cash; nil without wins.
    public var largestWin: Double?
    /// Lowest pnl of a losing trade, cash (negative); nil without losses.
    public var largestLoss: Double?
    /// Highest ``Trade/pnlPercent`` of a closed trade, a fraction; nil without closed trades.
    public var bestTradeReturn: Double?
    /// Lowest ``Trade/pnlPercent`` of a closed trade, a fraction; nil without closed trades.
    public var worstTradeReturn: Double?
    /// System Quality Number on cash pnl: `sqrt(n) × mean(pnl) / std(pnl, ddof 1)`. nil with fewer
    /// than two closed trades or when the std is numerically zero (`<= 1e-12 × max |pnl|`).
    public var sqn: Double?
    /// Mean ``Trade/barsHeld`` of closed trades; nil without closed trades.
    public var averageHoldBars: Double?
    /// Mean `exitTime - entryTime` of closed trades, milliseconds; nil without closed trades.
    public var averageHoldMilliseconds: Double?
    /// Longest `exitTime - entryTime` of a closed trade, milliseconds; nil without closed trades.
    public var longestHoldMilliseconds: Int64?
    /// ``Trade/barsHeld`` of that same longest trade (ties: more bars, then the earlier trade).
    public var longestHoldBars: Int?

    /// Metrics of an empty result; ``compute(_:options:)`` fills them in.
    init() {}
}

/// What a strategy asks for after seeing a bar.
///
/// Semantics (see `docs/fills.md`):
/// - long/short accounts: `buy` closes any short, then opens a long; `sell` closes any long, then
///   opens a short; `revert` flips the current position (nothing when flat); `close` flattens.
/// - long-only accounts: `buy` opens a long; `sell`, `revert` and `close` close the longs.
/// - An entry is skipped while ``AccountConfig/maxOpenTrades`` trades are already open on that side.
///
/// A plain action is a market order filled at the next bar's open. With `limit` or `stop` it is an
/// entry order that waits (good until filled or replaced by the strategy's next action) and fills
/// intrabar. `stopLoss` / `takeProfit` are absolute price levels attached to the new trade.
public struct Action: Sendable, Equatable, CustomStringConvertible {
    /// The kind of action.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case hold, buy, sell, revert, close
    }

    /// The kind of action.
    public var kind: Kind
    /// Overrides the account's sizing for this entry.
    public var size: Sizing?
    /// Stop-loss price level for the new trade.
    public var stopLoss: Double?
    /// Take-profit price level for the new trade.
    public var takeProfit: Double?
    /// Stop-loss for the new trade as a fraction of its fill price (0.02 = 2% away), used when
    /// ``stopLoss`` is not given.
    public var stopLossFraction: Double?
    /// Take-profit as a fraction of the fill price, used when ``takeProfit`` is not given.
    public var takeProfitFraction: Double?
    /// Entry limit price: buy at or below, sell at or above.
    public var limit: Double?
    /// Entry stop price: buy once the price reaches it from below, sell from above.
    public var stop: Double?

    /// Creates an action.
    public init(_ kind: Kind, size: Sizing? = nil, stopLoss: Double? = nil, takeProfit: Double? = nil,
                stopLossFraction: Double? = nil, takeProfitFraction: Double? = nil,
                limit: Double? = nil, stop: Double? = nil) {
        self.kind = kind
        self.size = size
        self.stopLoss = stopLoss
        self.takeProfit = takeProfit
        self.stopLossFraction = stopLossFraction
        self.takeProfitFraction = takeProfitFraction
        self.limit = limit
        self.stop = stop
    }

    /// Do nothing.
    public static let hold = Action(.hold)
    /// Market buy (see the type's semantics).
    public static let buy = Action(.buy)
    /// Market sell (see the type's semantics).
    public static let sell = Action(.sell)
    /// Flip the position.
    public static let revert = Action(.revert)
    /// Flatten the position.
    public static let close = Action(.close)

    /// True for a limit or stop entry (as opposed to a market order).
    public var isConditional: Bool { limit != nil || stop != nil }

    /// "buy", "buy limit 99.5 sl 95", ...
    public var description: String {
        var parts = [kind.rawValue]
        if let size { parts.append("size \(size)") }
        if let limit { parts.append("limit \(formatNumber(limit))") }
        if let stop { parts.append("stop \(formatNumber(stop))") }
        if let stopLoss { parts.append("sl \(formatNumber(stopLoss))") }
        if let takeProfit { parts.append("tp \(formatNumber(takeProfit))") }
        return parts.joined(separator: " ")
    }
}

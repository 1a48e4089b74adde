/// What happened to an order.
public enum OrderStatus: String, Sendable, Codable {
    case filled, rejected, cancelled
}

/// One line of the order log: every order the strategy sent, filled or not.
public struct OrderLogEntry: Sendable, Codable, Equatable {
    /// Bar index at which the order was decided (the strategy saw this bar).
    public var signalIndex: Int
    /// Bar index at which it filled or was rejected.
    public var index: Int
    /// Time of `index`, UTC milliseconds.
    public var time: Int64
    /// The strategy action, e.g. "buy", "sell", "close", "revert", "stop_loss".
    public var action: String
    /// Buy or sell side of the fill ("buy" adds units, "sell" removes units).
    public var side: String
    /// Units filled (0 when rejected or cancelled).
    public var quantity: Double
    /// Fill price (nil when not filled).
    public var price: Double?
    /// Fee charged.
    public var fee: Double
    /// Outcome.
    public var status: OrderStatus
    /// Why it was rejected or cancelled, or a note on the fill.
    public var note: String
}

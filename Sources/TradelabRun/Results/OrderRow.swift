import TradelabCore

/// One order of the order log as every surface shows it (live signals, `orders.csv`): a core
/// ``OrderLogEntry`` with its run number and an ISO 8601 UTC time.
public struct OrderRow: Sendable, Codable, Equatable {
    /// 1-based run number.
    public var run: Int
    /// Bar index at which the order was decided.
    public var signalIndex: Int
    /// Bar index at which it filled, was rejected or cancelled.
    public var index: Int
    /// Time of `index`, ISO 8601 UTC.
    public var time: String
    /// The action: `buy`, `sell`, `close`, `revert`, `stop_loss`, ...
    public var action: String
    /// `buy` (adds units) or `sell` (removes units).
    public var side: String
    /// Units filled (0 when not filled).
    public var quantity: Double
    /// Fill price (absent when not filled).
    public var price: Double?
    /// Fee charged.
    public var fee: Double
    /// `filled`, `rejected` or `cancelled`.
    public var status: OrderStatus
    /// Why it was rejected or cancelled, or a note on the fill.
    public var note: String

    /// The row of `order` from run `run`.
    public init(_ order: OrderLogEntry, run: Int) {
        self.run = run
        signalIndex = order.signalIndex
        index = order.index
        time = UTCTime.format(order.time)
        action = order.action
        side = order.side
        quantity = order.quantity
        price = order.price
        fee = order.fee
        status = order.status
        note = order.note
    }
}

/// Sessions waiting for a worker, in submission order.
struct RunQueue {
    /// Most runs waiting at once.
    static let capacity = 10_000

    private(set) var waiting: [String] = []

    /// Whether another run can wait.
    var isFull: Bool { waiting.count >= Self.capacity }

    /// Adds a session at the end.
    mutating func append(_ id: String) { waiting.append(id) }

    /// Removes a session wherever it waits.
    mutating func remove(_ id: String) { waiting.removeAll { $0 == id } }

    /// Takes the first session.
    mutating func next() -> String? { waiting.isEmpty ? nil : waiting.removeFirst() }

    /// 1-based place of a session, if it waits.
    func position(of id: String) -> Int? { waiting.firstIndex(of: id).map { $0 + 1 } }

    /// Forgets everyone.
    mutating func removeAll() { waiting.removeAll() }
}

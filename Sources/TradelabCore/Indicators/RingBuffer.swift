/// A fixed-capacity FIFO of doubles for streaming indicators' windows.
///
/// `append` on a full buffer is a misuse (checked in debug builds); callers remove the oldest
/// value first or keep the count below capacity.
public struct RingBuffer: Sendable {
    @usableFromInline var storage: [Double]
    @usableFromInline var head = 0
    @usableFromInline var storedCount = 0
    /// Number of values held.
    @inlinable public var count: Int { storedCount }

    /// Creates an empty buffer holding at most `capacity` values.
    public init(capacity: Int) {
        storage = [Double](repeating: 0, count: Swift.max(1, capacity))
    }

    /// Maximum number of values.
    @inlinable public var capacity: Int { storage.count }

    /// Appends a value at the newest end.
    @inlinable
    public mutating func append(_ value: Double) {
        assert(count < capacity, "RingBuffer overflow")
        var index = head + count
        if index >= capacity { index -= capacity }
        storage[index] = value
        storedCount += 1
    }

    /// Removes and returns the oldest value.
    @inlinable
    public mutating func removeOldest() -> Double {
        assert(count > 0, "RingBuffer underflow")
        let value = storage[head]
        head += 1
        if head == capacity { head = 0 }
        storedCount -= 1
        return value
    }

    /// The value `age` steps back from the newest (0 = newest).
    @inlinable
    public subscript(fromNewest age: Int) -> Double {
        assert(age >= 0 && age < count)
        var index = head + count - 1 - age
        if index < 0 { index += capacity }
        if index >= capacity { index -= capacity }
        return storage[index]
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// The bar columns being filled, allocated once for an estimated row count and written through
/// pointers (no per-value `append`, no uniqueness checks in the row loop).
///
/// The arrays hold `capacity` elements while rows are read, of which only the first rows are
/// written; ``truncate(to:)`` drops the rest before the arrays are handed on.
struct CSVColumns {
    var timestamps: [Int64]
    var open: [Double]
    var high: [Double]
    var low: [Double]
    var close: [Double]
    var volume: [Double]
    var lines: [Int32]
    /// Rows the arrays can take.
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        timestamps = Self.unwritten(capacity)
        open = Self.unwritten(capacity)
        high = Self.unwritten(capacity)
        low = Self.unwritten(capacity)
        close = Self.unwritten(capacity)
        volume = Self.unwritten(capacity)
        lines = Self.unwritten(capacity)
    }

    /// An array of `count` plain values whose memory is not cleared first: the row loop writes
    /// every element that survives ``truncate(to:)``.
    /// Large columns are advised to use huge pages: a million rows then fault in a few dozen
    /// pages instead of tens of thousands (the advice is ignored where not supported).
    private static func unwritten<T: BitwiseCopyable>(_ count: Int) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = count
            #if os(Linux)
            let bytes = count * MemoryLayout<T>.stride
            if bytes >= 4 << 20, let base = buffer.baseAddress {
                let page = 4096
                let start = (Int(bitPattern: base) + page - 1) & ~(page - 1)
                let end = (Int(bitPattern: base) + bytes) & ~(page - 1)
                _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE)
            }
            #endif
        }
    }

    /// Makes room for `newCapacity` rows (when the estimate was short), keeping the rows read.
    mutating func grow(to newCapacity: Int) {
        guard newCapacity > capacity else { return }
        let extra = newCapacity - capacity
        timestamps.append(contentsOf: repeatElement(0, count: extra))
        open.append(contentsOf: repeatElement(0, count: extra))
        high.append(contentsOf: repeatElement(0, count: extra))
        low.append(contentsOf: repeatElement(0, count: extra))
        close.append(contentsOf: repeatElement(0, count: extra))
        volume.append(contentsOf: repeatElement(0, count: extra))
        lines.append(contentsOf: repeatElement(0, count: extra))
        capacity = newCapacity
    }

    /// Keeps the first `rows` rows.
    mutating func truncate(to rows: Int) {
        let drop = capacity - rows
        timestamps.removeLast(drop)
        open.removeLast(drop)
        high.removeLast(drop)
        low.removeLast(drop)
        close.removeLast(drop)
        volume.removeLast(drop)
        lines.removeLast(drop)
        capacity = rows
    }

    /// Calls `body` with pointers to all columns, valid during the call only.
    mutating func withPointers<R, E: Error>(_ body: (CSVColumnPointers) throws(E) -> R) throws(E) -> R {
        let capacity = self.capacity
        return try timestamps.withUnsafeMutableBufferPointer { (t) throws(E) -> R in
            try open.withUnsafeMutableBufferPointer { (o) throws(E) -> R in
                try high.withUnsafeMutableBufferPointer { (h) throws(E) -> R in
                    try low.withUnsafeMutableBufferPointer { (l) throws(E) -> R in
                        try close.withUnsafeMutableBufferPointer { (c) throws(E) -> R in
                            try volume.withUnsafeMutableBufferPointer { (v) throws(E) -> R in
                                try lines.withUnsafeMutableBufferPointer { (n) throws(E) -> R in
                                    try body(CSVColumnPointers(
                                        time: t.baseAddress!, open: o.baseAddress!, high: h.baseAddress!, low: l.baseAddress!,
                                        close: c.baseAddress!, volume: v.baseAddress!, lines: n.baseAddress!, capacity: capacity))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Where the row reader writes row `r` of each column; valid for `capacity` rows.
struct CSVColumnPointers {
    var time: UnsafeMutablePointer<Int64>
    var open: UnsafeMutablePointer<Double>
    var high: UnsafeMutablePointer<Double>
    var low: UnsafeMutablePointer<Double>
    var close: UnsafeMutablePointer<Double>
    var volume: UnsafeMutablePointer<Double>
    var lines: UnsafeMutablePointer<Int32>
    var capacity: Int

    /// The same columns from row `rows` on, limited to `capacity` rows.
    func advanced(by rows: Int, capacity: Int) -> CSVColumnPointers {
        CSVColumnPointers(time: time + rows, open: open + rows, high: high + rows, low: low + rows, close: close + rows,
                          volume: volume + rows, lines: lines + rows, capacity: capacity)
    }

    /// Moves `count` rows from row `from` down to row `to` (the regions may overlap).
    func moveRows(from: Int, to: Int, count: Int) {
        guard from != to, count > 0 else { return }
        func move<T>(_ p: UnsafeMutablePointer<T>) {
            UnsafeMutableRawPointer(p + to).copyMemory(from: UnsafeRawPointer(p + from), byteCount: count * MemoryLayout<T>.stride)
        }
        move(time); move(open); move(high); move(low); move(close); move(volume); move(lines)
    }
}

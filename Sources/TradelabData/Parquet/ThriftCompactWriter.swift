/// A writer of the Thrift compact protocol, for the footer and page headers ``ParquetWriter``
/// produces.
///
/// ```swift
/// var w = ThriftCompactWriter()
/// w.field(1, .i32); w.i32(7)      // field 1 = 7
/// w.stop()                        // end of the outer struct
/// ```
struct ThriftCompactWriter {
    var bytes: [UInt8] = []
    /// The last field id of each open struct (the compact protocol writes id deltas).
    private var lastIDs: [Int16] = [0]

    init() {}

    /// A field header; a struct-typed field also opens the nested struct.
    mutating func field(_ id: Int16, _ type: ThriftType) {
        let delta = id - lastIDs[lastIDs.count - 1]
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            i16(id)
        }
        lastIDs[lastIDs.count - 1] = id
        if type == .structure { beginStruct() }
    }

    /// Opens a struct that has no field header (a list element, a union member's body).
    mutating func beginStruct() { lastIDs.append(0) }

    /// Ends the current struct.
    mutating func stop() {
        bytes.append(0)
        if lastIDs.count > 1 { lastIDs.removeLast() }
    }

    /// A boolean field (its value lives in the header).
    mutating func bool(_ id: Int16, _ value: Bool) {
        field(id, value ? .boolTrue : .boolFalse)
    }

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func i16(_ v: Int16) { i64(Int64(v)) }
    mutating func i32(_ v: Int32) { i64(Int64(v)) }
    mutating func i64(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

    mutating func binary(_ data: [UInt8]) {
        varint(UInt64(data.count))
        bytes.append(contentsOf: data)
    }

    mutating func string(_ text: String) { binary(Array(text.utf8)) }

    mutating func listHeader(_ type: ThriftType, count: Int) {
        if count < 15 {
            bytes.append(UInt8(count) << 4 | type.rawValue)
        } else {
            bytes.append(0xF0 | type.rawValue)
            varint(UInt64(count))
        }
    }

    // Convenience for whole fields.
    mutating func i32(_ id: Int16, _ v: Int32) { field(id, .i32); i32(v) }
    mutating func i64(_ id: Int16, _ v: Int64) { field(id, .i64); i64(v) }
    mutating func binary(_ id: Int16, _ data: [UInt8]) { field(id, .binary); binary(data) }
    mutating func string(_ id: Int16, _ text: String) { field(id, .binary); string(text) }
}

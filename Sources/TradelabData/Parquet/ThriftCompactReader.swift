/// Wire types of the Thrift compact protocol (the low nibble of a field or list header).
enum ThriftType: UInt8, Sendable {
    case stop = 0, boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7
    case binary = 8, list = 9, set = 10, map = 11, structure = 12, uuid = 13
}

/// One field header inside a struct: its id and wire type.
struct ThriftField {
    var id: Int16
    var type: ThriftType

    /// The value of a boolean field, which the compact protocol stores in the header itself.
    var bool: Bool { type == .boolTrue }
}

/// A bounds-checked reader of the Thrift compact protocol, as Parquet uses for its footer and
/// page headers.
///
/// Every read checks the remaining length and throws ``ParquetError`` (malformed) instead of
/// reading past the end; collection sizes are checked against the bytes left; nesting deeper
/// than ``maxDepth`` is refused, so a hostile file cannot exhaust the stack. Unknown fields are
/// skipped whole (structs, lists, maps, any depth), so footers written by newer writers read.
struct ThriftCompactReader {
    /// The deepest nesting of structs and collections accepted.
    static let maxDepth = 64

    let base: UnsafePointer<UInt8>
    /// One past the last readable offset.
    let end: Int
    /// The current offset from `base`.
    var position: Int
    private var depth = 0

    init(base: UnsafePointer<UInt8>, start: Int, end: Int) {
        self.base = base
        self.position = start
        self.end = end
    }

    var remaining: Int { end - position }

    // MARK: Scalars

    mutating func readByte() throws(ParquetError) -> UInt8 {
        guard position < end else { throw .malformed("metadata ends early (truncated file?)") }
        let b = base[position]
        position += 1
        return b
    }

    mutating func readVarint() throws(ParquetError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try readByte()
            if shift == 63 && b > 1 { throw .malformed("varint overflows 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw .malformed("varint longer than 10 bytes") }
        }
    }

    mutating func readI64() throws(ParquetError) -> Int64 {
        let v = try readVarint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    mutating func readI32() throws(ParquetError) -> Int32 {
        let v = try readI64()
        guard let r = Int32(exactly: v) else { throw .malformed("i32 value \(v) out of range") }
        return r
    }

    mutating func readI16() throws(ParquetError) -> Int16 {
        let v = try readI64()
        guard let r = Int16(exactly: v) else { throw .malformed("i16 value \(v) out of range") }
        return r
    }

    mutating func readI8() throws(ParquetError) -> Int8 {
        Int8(bitPattern: try readByte())
    }

    mutating func readDouble() throws(ParquetError) -> Double {
        guard remaining >= 8 else { throw .malformed("metadata ends early (truncated file?)") }
        let bits = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
        position += 8
        return Double(bitPattern: UInt64(littleEndian: bits))
    }

    /// A length-prefixed binary: returns its offset and length (no copy).
    mutating func readBinaryRange() throws(ParquetError) -> Range<Int> {
        let length = try readVarint()
        guard length <= UInt64(remaining) else { throw .malformed("binary of \(length) bytes runs past the metadata") }
        let start = position
        position += Int(length)
        return start..<position
    }

    mutating func readBinary() throws(ParquetError) -> [UInt8] {
        let r = try readBinaryRange()
        return Array(UnsafeBufferPointer(start: base + r.lowerBound, count: r.count))
    }

    mutating func readString() throws(ParquetError) -> String {
        let r = try readBinaryRange()
        return String(decoding: UnsafeBufferPointer(start: base + r.lowerBound, count: r.count), as: UTF8.self)
    }

    // MARK: Structs and collections

    /// Reads the fields of a struct until its stop byte, handing each to `visit`; a field that
    /// `visit` does not consume (returns false) is skipped.
    mutating func readStruct(_ visit: (inout ThriftCompactReader, ThriftField) throws(ParquetError) -> Bool) throws(ParquetError) {
        try enter()
        defer { depth -= 1 }
        var lastID: Int16 = 0
        while true {
            let header = try readByte()
            if header == 0 { return }
            guard let type = ThriftType(rawValue: header & 0x0F), type != .stop else {
                throw .malformed("unknown Thrift field type \(header & 0x0F)")
            }
            let delta = Int16(header >> 4)
            let id: Int16
            if delta == 0 {
                id = try readI16()
            } else {
                let (sum, overflow) = lastID.addingReportingOverflow(delta)
                guard !overflow else { throw .malformed("Thrift field id overflows") }
                id = sum
            }
            lastID = id
            let field = ThriftField(id: id, type: type)
            let before = position
            if try !visit(&self, field) {
                guard position == before else { throw .malformed("field \(id) partially read") }
                try skip(type)
            }
        }
    }

    /// Reads a list header: the element type and count (checked against the bytes left, since
    /// every element takes at least one byte, except empty-struct-free types never do).
    mutating func readListHeader() throws(ParquetError) -> (type: ThriftType, count: Int) {
        let header = try readByte()
        guard let type = ThriftType(rawValue: header & 0x0F) else {
            throw .malformed("unknown Thrift list element type \(header & 0x0F)")
        }
        var count = UInt64(header >> 4)
        if count == 15 { count = try readVarint() }
        // Every element takes at least one byte on the wire.
        guard count <= UInt64(remaining) else { throw .malformed("list of \(count) elements runs past the metadata") }
        return (type, Int(count))
    }

    /// Reads a list whose elements are read by `element`.
    mutating func readList<T>(_ element: (inout ThriftCompactReader, ThriftType) throws(ParquetError) -> T) throws(ParquetError) -> [T] {
        try enter()
        defer { depth -= 1 }
        let (type, count) = try readListHeader()
        var result: [T] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try element(&self, type)) }
        return result
    }

    /// Reads a list of i32 values (enums).
    mutating func readI32List() throws(ParquetError) -> [Int32] {
        try readList { (r: inout ThriftCompactReader, type: ThriftType) throws(ParquetError) -> Int32 in
            guard type == .i32 else {
                try r.skip(type)
                return -1
            }
            return try r.readI32()
        }
    }

    /// Reads a list of strings.
    mutating func readStringList() throws(ParquetError) -> [String] {
        try readList { (r: inout ThriftCompactReader, type: ThriftType) throws(ParquetError) -> String in
            guard type == .binary else { throw .malformed("expected a list of strings") }
            return try r.readString()
        }
    }

    /// Skips one value of wire type `type`, whatever it holds.
    mutating func skip(_ type: ThriftType) throws(ParquetError) {
        switch type {
        case .stop: throw .malformed("unexpected Thrift stop")
        case .boolTrue, .boolFalse: return  // field value lives in the header
        case .byte: _ = try readByte()
        case .i16, .i32, .i64: _ = try readVarint()
        case .double: try advance(8)
        case .uuid: try advance(16)
        case .binary: _ = try readBinaryRange()
        case .structure:
            try readStruct { _, _ in false }
        case .list, .set:
            try enter()
            defer { depth -= 1 }
            let (elementType, count) = try readListHeader()
            for _ in 0..<count {
                if elementType == .boolTrue || elementType == .boolFalse {
                    _ = try readByte()  // booleans inside collections take one byte each
                } else {
                    try skip(elementType)
                }
            }
        case .map:
            try enter()
            defer { depth -= 1 }
            let count = try readVarint()
            if count == 0 { return }
            guard count <= UInt64(remaining) else { throw .malformed("map of \(count) entries runs past the metadata") }
            let types = try readByte()
            guard let keyType = ThriftType(rawValue: types >> 4), let valueType = ThriftType(rawValue: types & 0x0F) else {
                throw .malformed("unknown Thrift map types \(types)")
            }
            for _ in 0..<count {
                for t in [keyType, valueType] {
                    if t == .boolTrue || t == .boolFalse { _ = try readByte() } else { try skip(t) }
                }
            }
        }
    }

    private mutating func advance(_ n: Int) throws(ParquetError) {
        guard remaining >= n else { throw .malformed("metadata ends early (truncated file?)") }
        position += n
    }

    private mutating func enter() throws(ParquetError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw .malformed("metadata nested deeper than \(Self.maxDepth) levels") }
    }
}

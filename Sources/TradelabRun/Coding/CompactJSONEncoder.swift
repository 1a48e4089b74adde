/// A fast JSON encoder for `Encodable` values: compact output, keys in the order the type
/// encodes them (declaration order for synthesized conformances), dictionary keys sorted,
/// non-finite numbers as the strings "NaN", "Infinity" and "-Infinity" (as ``JSONCoding``).
///
/// It writes straight into a byte buffer while the value encodes itself, about ten times faster
/// than Foundation's `JSONEncoder` on Linux, so live states and run results can be encoded from
/// their typed values on hot paths. Containers must be used one after the other, as synthesized
/// and ordinary hand-written conformances do (a container is finished once its parent, or a
/// sibling, writes again).
///
/// ```swift
/// let bytes = try CompactJSONEncoder.encode(results)   // [UInt8]
/// ```
public enum CompactJSONEncoder {
    /// The JSON bytes of `value`.
    /// - Parameter indented: One member per line, indented by two spaces (files people read).
    /// - Throws: whatever the value's `encode(to:)` throws.
    public static func encode(_ value: some Encodable, indented: Bool = false) throws -> [UInt8] {
        let writer = JSONByteWriter(indented: indented)
        try writer.encodeValue(value)
        writer.close(downTo: 0)
        return writer.bytes
    }

    /// The JSON text of `value`.
    public static func string(_ value: some Encodable) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }
}

/// The byte buffer and the stack of open containers shared by every container of one encoding.
final class JSONByteWriter {
    var bytes: [UInt8] = []
    /// Open containers, innermost last: whether each is an object, and whether it has members yet.
    private var open: [(object: Bool, hasMembers: Bool)] = []
    /// One member per line, indented.
    private let indented: Bool

    init(indented: Bool = false) {
        self.indented = indented
        bytes.reserveCapacity(1024)
    }

    private func newline(depth: Int) {
        bytes.append(0x0A)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    var depth: Int { open.count }

    /// Closes the containers opened deeper than `depth`.
    func close(downTo depth: Int) {
        while open.count > depth {
            let container = open.removeLast()
            if indented, container.hasMembers { newline(depth: open.count) }
            bytes.append(container.object ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        }
    }

    func openContainer(object: Bool) {
        bytes.append(object ? UInt8(ascii: "{") : UInt8(ascii: "["))
        open.append((object, false))
    }

    /// Starts a member of the container at `level` (1-based depth), finishing deeper ones.
    func beginMember(at level: Int) {
        close(downTo: level)
        if open[level - 1].hasMembers { bytes.append(UInt8(ascii: ",")) } else { open[level - 1].hasMembers = true }
        if indented { newline(depth: level) }
    }

    func key(_ key: String) {
        string(key)
        bytes.append(UInt8(ascii: ":"))
        if indented { bytes.append(UInt8(ascii: " ")) }
    }

    /// Encodes a nested value at the current position; an encoding that opened nothing gives `{}`.
    ///
    /// Leaves and the string-keyed dictionaries of the result types are recognised by type
    /// identity (a pointer compare). A cast to a protocol (`value as? any P`) would scan every
    /// conformance record of the process the first time it meets each type, about 10 ms in a
    /// freshly started worker. Other dictionaries encode themselves (keys in hash order).
    func encodeValue<T: Encodable>(_ value: T) throws {
        if T.self == Double.self { return number(unsafeBitCast(value, to: Double.self)) }
        if T.self == Int.self { return integer(unsafeBitCast(value, to: Int.self)) }
        if T.self == String.self { return string(unsafeBitCast(value, to: String.self)) }
        if T.self == Bool.self { return bool(unsafeBitCast(value, to: Bool.self)) }
        if T.self == Int64.self { return integer(unsafeBitCast(value, to: Int64.self)) }
        if T.self == Int32.self { return integer(unsafeBitCast(value, to: Int32.self)) }
        if T.self == UInt64.self { return integer(unsafeBitCast(value, to: UInt64.self)) }
        if T.self == UInt32.self { return integer(unsafeBitCast(value, to: UInt32.self)) }
        if T.self == UInt.self { return integer(unsafeBitCast(value, to: UInt.self)) }
        if T.self == Int16.self { return integer(unsafeBitCast(value, to: Int16.self)) }
        if T.self == UInt16.self { return integer(unsafeBitCast(value, to: UInt16.self)) }
        if T.self == Int8.self { return integer(unsafeBitCast(value, to: Int8.self)) }
        if T.self == UInt8.self { return integer(unsafeBitCast(value, to: UInt8.self)) }
        if T.self == Float.self { return number(Double(unsafeBitCast(value, to: Float.self))) }
        if T.self == [String: Double].self { return try object(unsafeBitCast(value, to: [String: Double].self)) }
        if T.self == [String: Int].self { return try object(unsafeBitCast(value, to: [String: Int].self)) }
        if T.self == [String: String].self { return try object(unsafeBitCast(value, to: [String: String].self)) }
        let level = depth, start = bytes.count
        try value.encode(to: JSONByteEncoder(writer: self))
        if bytes.count == start { bytes.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")]) }
        close(downTo: level)
    }

    /// A dictionary as an object with sorted keys, so output is stable.
    private func object<V: Encodable>(_ dictionary: [String: V]) throws {
        openContainer(object: true)
        let level = depth
        for key in dictionary.keys.sorted() {
            beginMember(at: level)
            self.key(key)
            try encodeValue(dictionary[key]!)
        }
        close(downTo: level - 1)
    }

    func null() { bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]) }

    func bool(_ value: Bool) {
        bytes.append(contentsOf: value ? [0x74, 0x72, 0x75, 0x65] : [0x66, 0x61, 0x6C, 0x73, 0x65])
    }

    func integer<I: BinaryInteger>(_ value: I) { bytes.append(contentsOf: String(value).utf8) }

    /// Shortest round-trip form; whole numbers below 1e15 without a fraction; -0 kept as `-0.0`.
    func number(_ value: Double) {
        if value.isNaN { string("NaN") }
        else if value.isInfinite { string(value > 0 ? "Infinity" : "-Infinity") }
        else if value == value.rounded(), abs(value) < 1e15, value != 0 || value.sign == .plus { integer(Int64(value)) }
        else { bytes.append(contentsOf: value.description.utf8) }
    }

    func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var runStart = 0
            for (k, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<k]))
                runStart = k + 1
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
                case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
                case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// The `Encoder` handed to values; every container writes into the shared ``JSONByteWriter``.
struct JSONByteEncoder: Encoder {
    let writer: JSONByteWriter
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        writer.openContainer(object: true)
        return KeyedEncodingContainer(KeyedContainer<Key>(writer: writer, level: writer.depth))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        writer.openContainer(object: false)
        return UnkeyedContainer(writer: writer, level: writer.depth)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleValue(writer: writer) }

    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let writer: JSONByteWriter
        let level: Int
        var codingPath: [any CodingKey] { [] }

        private func begin(_ key: Key) {
            writer.beginMember(at: level)
            writer.key(key.stringValue)
        }

        mutating func encodeNil(forKey key: Key) throws { begin(key); writer.null() }
        mutating func encode(_ value: Bool, forKey key: Key) throws { begin(key); writer.bool(value) }
        mutating func encode(_ value: String, forKey key: Key) throws { begin(key); writer.string(value) }
        mutating func encode(_ value: Double, forKey key: Key) throws { begin(key); writer.number(value) }
        mutating func encode(_ value: Float, forKey key: Key) throws { begin(key); writer.number(Double(value)) }
        mutating func encode(_ value: Int, forKey key: Key) throws { begin(key); writer.integer(value) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { begin(key); writer.integer(value) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { begin(key); writer.integer(value) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { begin(key); try writer.encodeValue(value) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            begin(key)
            return JSONByteEncoder(writer: writer).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            begin(key)
            return JSONByteEncoder(writer: writer).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            begin(key)
            return JSONByteEncoder(writer: writer)
        }
    }

    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let writer: JSONByteWriter
        let level: Int
        var codingPath: [any CodingKey] { [] }
        private(set) var count = 0

        init(writer: JSONByteWriter, level: Int) {
            self.writer = writer
            self.level = level
        }

        private mutating func begin() {
            writer.beginMember(at: level)
            count += 1
        }

        mutating func encodeNil() throws { begin(); writer.null() }
        mutating func encode(_ value: Bool) throws { begin(); writer.bool(value) }
        mutating func encode(_ value: String) throws { begin(); writer.string(value) }
        mutating func encode(_ value: Double) throws { begin(); writer.number(value) }
        mutating func encode(_ value: Int) throws { begin(); writer.integer(value) }
        mutating func encode(_ value: Int64) throws { begin(); writer.integer(value) }
        mutating func encode<T: Encodable>(_ value: T) throws { begin(); try writer.encodeValue(value) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            begin()
            return JSONByteEncoder(writer: writer).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            begin()
            return JSONByteEncoder(writer: writer).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder {
            begin()
            return JSONByteEncoder(writer: writer)
        }
    }

    struct SingleValue: SingleValueEncodingContainer {
        let writer: JSONByteWriter
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil() throws { writer.null() }
        mutating func encode(_ value: Bool) throws { writer.bool(value) }
        mutating func encode(_ value: String) throws { writer.string(value) }
        mutating func encode(_ value: Double) throws { writer.number(value) }
        mutating func encode(_ value: Float) throws { writer.number(Double(value)) }
        mutating func encode(_ value: Int) throws { writer.integer(value) }
        mutating func encode(_ value: Int64) throws { writer.integer(value) }
        mutating func encode(_ value: UInt64) throws { writer.integer(value) }
        mutating func encode<T: Encodable>(_ value: T) throws { try writer.encodeValue(value) }
    }
}

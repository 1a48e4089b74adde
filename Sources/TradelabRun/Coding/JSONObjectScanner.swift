/// Finds the members of a JSON object without decoding their values: each key with the byte
/// range of its value. A structural scan (strings, escapes, nesting), so a reader can pick out a
/// few fields or forward a nested object as it is, at a fraction of the cost of decoding.
///
/// ```swift
/// let line = Array(#"{"type":"state","state":{"currentCandleIndex":42}}"#.utf8)
/// let members = JSONObjectScanner.members(of: line)!       // ["type": 7..<14, "state": 23..<48]
/// JSONObjectScanner.string(line, members["type"]!)          // "state"
/// ```
public enum JSONObjectScanner {
    /// The members of the object spanning `range` of `bytes` (the whole array by default); nil
    /// when it is not a well-formed object at the structural level. Later duplicates win.
    /// - Complexity: O(range.count).
    public static func members(of bytes: [UInt8], in range: Range<Int>? = nil) -> [String: Range<Int>]? {
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = Scanner(bytes: buffer, position: range?.lowerBound ?? 0, end: range?.upperBound ?? buffer.count)
            return scanner.object()
        }
    }

    /// The text of a string value without escapes (nil when it is not a string or has escapes).
    public static func string(_ bytes: [UInt8], _ range: Range<Int>) -> String? {
        guard range.count >= 2, bytes[range.lowerBound] == UInt8(ascii: "\""), bytes[range.upperBound - 1] == UInt8(ascii: "\""),
              !bytes[range].contains(UInt8(ascii: "\\")) else { return nil }
        return String(decoding: bytes[(range.lowerBound + 1)..<(range.upperBound - 1)], as: UTF8.self)
    }

    /// The integer value at `range` (nil when it is not a plain integer).
    public static func integer(_ bytes: [UInt8], _ range: Range<Int>) -> Int? {
        Int(String(decoding: bytes[range], as: UTF8.self))
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var position: Int
        let end: Int

        mutating func object() -> [String: Range<Int>]? {
            skipSpace()
            guard take(UInt8(ascii: "{")) else { return nil }
            var members: [String: Range<Int>] = [:]
            skipSpace()
            if take(UInt8(ascii: "}")) { return trailingSpaceOnly() ? members : nil }
            while true {
                skipSpace()
                let keyStart = position
                guard skipString() else { return nil }
                let key = String(decoding: bytes[(keyStart + 1)..<(position - 1)], as: UTF8.self)
                skipSpace()
                guard take(UInt8(ascii: ":")) else { return nil }
                skipSpace()
                let valueStart = position
                guard skipValue() else { return nil }
                members[key] = valueStart..<position
                skipSpace()
                if take(UInt8(ascii: ",")) { continue }
                guard take(UInt8(ascii: "}")) else { return nil }
                return trailingSpaceOnly() ? members : nil
            }
        }

        private mutating func trailingSpaceOnly() -> Bool {
            skipSpace()
            return position == end
        }

        private mutating func take(_ byte: UInt8) -> Bool {
            guard position < end, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        private mutating func skipSpace() {
            while position < end, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        /// Skips a string starting at `position`; false when there is none or it does not end.
        private mutating func skipString() -> Bool {
            guard take(UInt8(ascii: "\"")) else { return false }
            while position < end {
                switch bytes[position] {
                case UInt8(ascii: "\\"): position += 2
                case UInt8(ascii: "\""): position += 1; return true
                default: position += 1
                }
            }
            return false
        }

        /// Skips any value: a string, an object or array (with everything nested), or a literal.
        private mutating func skipValue() -> Bool {
            guard position < end else { return false }
            switch bytes[position] {
            case UInt8(ascii: "\""):
                return skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while position < end {
                    switch bytes[position] {
                    case UInt8(ascii: "\""):
                        guard skipString() else { return false }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 { position += 1; return true }
                    default: break
                    }
                    position += 1
                }
                return false
            default:
                let start = position
                while position < end, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) {
                    position += 1
                }
                return position > start
            }
        }
    }
}

/// One field of a record: a byte range into the input, without surrounding quotes or spaces.
@usableFromInline
struct CSVField {
    @usableFromInline var start: Int
    @usableFromInline var end: Int
    /// True when the field was quoted and contains `""` escapes that still need undoubling.
    @usableFromInline var hasEscapedQuote: Bool

    @inlinable init(start: Int, end: Int, hasEscapedQuote: Bool) {
        self.start = start
        self.end = end
        self.hasEscapedQuote = hasEscapedQuote
    }

    @inlinable var isEmpty: Bool { end == start }
    @inlinable var count: Int { end - start }
}

/// Splits bytes into records and fields: RFC 4180 quoting (`"a,b"`, `""` for a quote, quoted
/// newlines), `\n` or `\r\n` line ends, spaces around fields ignored.
///
/// The scanner never copies: fields are byte ranges into the caller's buffer.
@usableFromInline
struct CSVScanner {
    @usableFromInline let base: UnsafePointer<UInt8>
    @usableFromInline let count: Int
    @usableFromInline let separator: UInt8
    /// Byte offset of the next record.
    @usableFromInline var position: Int
    /// 1-based line number at ``position``.
    @usableFromInline var line: Int

    @inlinable
    init(base: UnsafePointer<UInt8>, count: Int, separator: UInt8, position: Int = 0, line: Int = 1) {
        self.base = base
        self.count = count
        self.separator = separator
        self.position = position
        self.line = line
    }

    /// Reads the next record into `fields` (cleared first).
    /// - Returns: The 1-based line where the record starts, or nil at the end of the input.
    @inlinable
    mutating func next(into fields: inout [CSVField]) -> Int? {
        fields.removeAll(keepingCapacity: true)
        guard position < count else { return nil }
        let p = base, n = count, sep = separator
        let startLine = line
        var i = position
        while true {
            while i < n && p[i] == UInt8(ascii: " ") { i += 1 }
            if i < n && p[i] == UInt8(ascii: "\"") {
                i += 1
                let s = i
                var escaped = false
                while i < n {
                    let c = p[i]
                    if c == UInt8(ascii: "\"") {
                        if i + 1 < n && p[i + 1] == UInt8(ascii: "\"") {
                            escaped = true
                            i += 2
                            continue
                        }
                        break
                    }
                    if c == UInt8(ascii: "\n") { line += 1 }
                    i += 1
                }
                let e = i
                if i < n { i += 1 }  // closing quote
                // Anything between the closing quote and the separator (spaces, a stray \r) is dropped.
                while i < n && p[i] != sep && p[i] != UInt8(ascii: "\n") { i += 1 }
                fields.append(CSVField(start: s, end: e, hasEscapedQuote: escaped))
            } else {
                let s = i
                while i < n {
                    let c = p[i]
                    if c == sep || c == UInt8(ascii: "\n") { break }
                    i += 1
                }
                var e = i
                while e > s && (p[e - 1] == UInt8(ascii: " ") || p[e - 1] == UInt8(ascii: "\r")) { e -= 1 }
                fields.append(CSVField(start: s, end: e, hasEscapedQuote: false))
            }
            if i >= n {
                position = n
                line += 1
                return startLine
            }
            if p[i] == UInt8(ascii: "\n") {
                position = i + 1
                line += 1
                return startLine
            }
            i += 1  // separator
        }
    }

    /// The text of a field, with `""` escapes undone (for headers and messages, not hot paths).
    func text(_ field: CSVField) -> String {
        let bytes = UnsafeBufferPointer(start: base + field.start, count: field.count)
        guard field.hasEscapedQuote else { return String(decoding: bytes, as: UTF8.self) }
        var undoubled: [UInt8] = []
        var previousWasQuote = false
        for b in bytes {
            if b == UInt8(ascii: "\""), previousWasQuote {
                previousWasQuote = false
                continue
            }
            previousWasQuote = b == UInt8(ascii: "\"")
            undoubled.append(b)
        }
        return String(decoding: undoubled, as: UTF8.self)
    }

    /// The text of a field cut to a readable length for error messages.
    func shortText(_ field: CSVField) -> String {
        let t = text(field)
        return t.count > 40 ? String(t.prefix(37)) + "..." : t
    }

    /// Picks the separator of a line: the most frequent of `,` `;` tab outside quotes
    /// (ties: tab, then `;`, then `,`); `,` when none occurs.
    static func detectSeparator(_ p: UnsafePointer<UInt8>, from: Int, count: Int) -> UInt8 {
        var comma = 0, semicolon = 0, tab = 0
        var inQuotes = false
        var i = from
        while i < count {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                inQuotes.toggle()
            } else if !inQuotes {
                if c == UInt8(ascii: "\n") { break }
                if c == UInt8(ascii: ",") { comma += 1 }
                else if c == UInt8(ascii: ";") { semicolon += 1 }
                else if c == UInt8(ascii: "\t") { tab += 1 }
            }
            i += 1
        }
        if tab > 0 && tab >= semicolon && tab >= comma { return UInt8(ascii: "\t") }
        if semicolon > 0 && semicolon >= comma { return UInt8(ascii: ";") }
        return UInt8(ascii: ",")
    }
}


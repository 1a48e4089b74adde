/// A Lua 5.4 tokenizer for static checks: names, keywords, numbers, strings (short and long
/// brackets), comments (short and long) and symbols, with their lines. It never fails: malformed
/// input still yields tokens (the compiler reports the error), so it is safe on any text.
///
/// - Complexity: O(n) in the UTF-8 length; one `String` per token (short ones are stored inline).
struct LuaLexer {
    /// Lua 5.4's reserved words.
    static let keywords: Set<String> = [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
        "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    ]

    /// The code tokens, in order.
    private(set) var tokens: [LuaToken] = []
    /// The comments, in order.
    private(set) var comments: [LuaToken] = []
    /// UTF-8 offset of the first byte of each line; `lineStarts[0]` is line 1.
    private(set) var lineStarts: [Int] = [0]

    private let bytes: [UInt8]
    private var i = 0
    private var line = 1

    /// Tokenizes `bytes`.
    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        tokens.reserveCapacity(bytes.count / 4)
        run()
    }

    private mutating func run() {
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            switch c {
            case 0x0A, 0x0D:
                newline()
            case 0x20, 0x09, 0x0B, 0x0C:
                i += 1
            case UInt8(ascii: "-") where i + 1 < n && bytes[i + 1] == UInt8(ascii: "-"):
                comment()
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
                name()
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                number()
            case UInt8(ascii: ".") where i + 1 < n && Self.isDigit(bytes[i + 1]):
                number()
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                shortString(quote: c)
            case UInt8(ascii: "[") where longBracketLevel(at: i) != nil:
                let (start, startLine) = (i, line)
                let text = longBracket()
                tokens.append(LuaToken(kind: .string, text: text, start: start, end: i, line: startLine))
            default:
                symbol()
            }
        }
    }

    // MARK: Pieces

    /// Consumes one line break (`\n`, `\r`, `\r\n` or `\n\r`, as Lua counts them).
    private mutating func newline() {
        let c = bytes[i]
        i += 1
        if i < bytes.count, bytes[i] != c, bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
        line += 1
        lineStarts.append(i)
    }

    private mutating func name() {
        let start = i
        while i < bytes.count, Self.isNameByte(bytes[i]) { i += 1 }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        // Keywords are 2 to 8 lowercase letters.
        let mayBeKeyword = i - start >= 2 && i - start <= 8 && bytes[start] >= UInt8(ascii: "a") && bytes[start] <= UInt8(ascii: "w")
        tokens.append(LuaToken(kind: mayBeKeyword && Self.keywords.contains(text) ? .keyword : .name, text: text,
                               start: start, end: i, line: line))
    }

    /// As Lua reads a numeral: alphanumerics and dots, and a sign right after an exponent mark.
    private mutating func number() {
        let start = i
        var exponent: (UInt8, UInt8) = (UInt8(ascii: "e"), UInt8(ascii: "E"))
        if bytes[i] == UInt8(ascii: "0"), i + 1 < bytes.count, bytes[i + 1] | 0x20 == UInt8(ascii: "x") {
            exponent = (UInt8(ascii: "p"), UInt8(ascii: "P"))
            i += 2
        }
        while i < bytes.count {
            let c = bytes[i]
            if (c == exponent.0 || c == exponent.1), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "+") || bytes[i + 1] == UInt8(ascii: "-") {
                i += 2
            } else if Self.isNameByte(c) || c == UInt8(ascii: ".") {
                i += 1
            } else {
                break
            }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        var value: Double?
        if exponent.0 == UInt8(ascii: "e") {
            value = Double(text)
        } else if !text.contains("."), !text.contains("p"), !text.contains("P") {
            value = UInt64(text.dropFirst(2), radix: 16).map { Double($0) }
        }
        tokens.append(LuaToken(kind: .number, text: text, start: start, end: i, line: line, number: value))
    }

    private mutating func shortString(quote: UInt8) {
        let (start, startLine) = (i, line)
        i += 1
        let contentStart = i
        var contentEnd = bytes.count
        while i < bytes.count {
            let c = bytes[i]
            if c == quote { contentEnd = i; i += 1; break }
            if c == 0x0A || c == 0x0D { contentEnd = i; break }   // unfinished: the compiler says so
            if c == UInt8(ascii: "\\"), i + 1 < bytes.count {
                i += 1
                if bytes[i] == 0x0A || bytes[i] == 0x0D {
                    newline()
                } else if bytes[i] == UInt8(ascii: "z") {
                    i += 1
                    while i < bytes.count, Self.isSpace(bytes[i]) {
                        if bytes[i] == 0x0A || bytes[i] == 0x0D { newline() } else { i += 1 }
                    }
                } else {
                    i += 1
                }
                continue
            }
            i += 1
        }
        let text = String(decoding: bytes[contentStart..<min(contentEnd, bytes.count)], as: UTF8.self)
        tokens.append(LuaToken(kind: .string, text: text, start: start, end: i, line: startLine))
    }

    private mutating func comment() {
        let (start, startLine) = (i, line)
        i += 2
        if longBracketLevel(at: i) != nil {
            let text = longBracket()
            comments.append(LuaToken(kind: .comment, text: text, start: start, end: i, line: startLine))
            return
        }
        let contentStart = i
        while i < bytes.count, bytes[i] != 0x0A, bytes[i] != 0x0D { i += 1 }
        comments.append(LuaToken(kind: .comment, text: String(decoding: bytes[contentStart..<i], as: UTF8.self),
                                 start: start, end: i, line: startLine))
    }

    /// `[=*[` at `position`: the number of `=`, else nil.
    private func longBracketLevel(at position: Int) -> Int? {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "[") else { return nil }
        var j = position + 1
        while j < bytes.count, bytes[j] == UInt8(ascii: "=") { j += 1 }
        return j < bytes.count && bytes[j] == UInt8(ascii: "[") ? j - position - 1 : nil
    }

    /// Consumes a long bracket `[==[ ... ]==]` at `i`; returns its contents (without the first
    /// line break, as Lua does). An unclosed bracket runs to the end of the text.
    private mutating func longBracket() -> String {
        let level = longBracketLevel(at: i)!
        i += level + 2
        if i < bytes.count, bytes[i] == 0x0A || bytes[i] == 0x0D { newline() }
        let contentStart = i
        while i < bytes.count {
            let c = bytes[i]
            if c == 0x0A || c == 0x0D { newline(); continue }
            if c == UInt8(ascii: "]") {
                var j = i + 1
                while j < bytes.count, bytes[j] == UInt8(ascii: "=") { j += 1 }
                if j - i - 1 == level, j < bytes.count, bytes[j] == UInt8(ascii: "]") {
                    let text = String(decoding: bytes[contentStart..<i], as: UTF8.self)
                    i = j + 1
                    return text
                }
            }
            i += 1
        }
        return String(decoding: bytes[contentStart..<i], as: UTF8.self)
    }

    private mutating func symbol() {
        let start = i
        let c = bytes[i]
        let next: UInt8 = i + 1 < bytes.count ? bytes[i + 1] : 0
        var length = 1
        switch c {
        case UInt8(ascii: "."):
            if next == UInt8(ascii: ".") { length = i + 2 < bytes.count && bytes[i + 2] == UInt8(ascii: ".") ? 3 : 2 }
        case UInt8(ascii: "="), UInt8(ascii: "~"):
            if next == UInt8(ascii: "=") { length = 2 }
        case UInt8(ascii: "<"), UInt8(ascii: ">"):
            if next == UInt8(ascii: "=") || next == c { length = 2 }
        case UInt8(ascii: "/"), UInt8(ascii: ":"):
            if next == c { length = 2 }
        case 0x80...:
            // A stray UTF-8 sequence stays whole so columns stay right.
            while i + length < bytes.count, bytes[i + length] & 0xC0 == 0x80 { length += 1 }
        default:
            break
        }
        i += length
        tokens.append(LuaToken(kind: .symbol, text: String(decoding: bytes[start..<i], as: UTF8.self), start: start, end: i, line: line))
    }

    // MARK: Bytes

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }

    @inline(__always) static func isNameByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F
    }
}

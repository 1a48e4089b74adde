/// One token of Lua source, located by UTF-8 offsets.
struct LuaToken: Sendable, Equatable {
    /// What a token is.
    enum Kind: Sendable, Equatable {
        /// An identifier that is not a keyword.
        case name
        /// `and`, `end`, `function`, ...
        case keyword
        /// A numeric literal; see ``number``.
        case number
        /// A string literal, short or long; ``text`` is its contents.
        case string
        /// Punctuation or an operator: `(`, `..`, `==`, ...
        case symbol
        /// A comment (kept apart from the code tokens); ``text`` is what follows `--`.
        case comment
    }

    var kind: Kind
    /// Names, keywords and symbols as written; a string's contents between its delimiters
    /// (escapes left as written); a comment's text after `--` (inside the brackets for a long one).
    var text: String
    /// UTF-8 offset of the first byte.
    var start: Int
    /// UTF-8 offset past the last byte.
    var end: Int
    /// 1-based line of the first byte.
    var line: Int
    /// The value of a decimal numeric literal (nil for other tokens and for hexadecimal floats).
    var number: Double?

    /// Whether this is the symbol or keyword `text`.
    @inline(__always)
    func `is`(_ text: String) -> Bool { (kind == .symbol || kind == .keyword) && self.text == text }

    /// Whether this is the name `text`.
    @inline(__always)
    func isName(_ text: String) -> Bool { kind == .name && self.text == text }
}

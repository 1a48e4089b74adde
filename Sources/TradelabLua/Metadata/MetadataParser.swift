import TradelabCore

extension StrategyMetadata {
    /// Parses the header of a strategy script: the comment lines before its first line of code.
    ///
    /// ```lua
    /// -- @name EMA Crossover
    /// -- @indicators ema
    /// -- @param fast 12 [2, 100] fast EMA period
    /// ```
    ///
    /// Blank lines and untagged comments may sit between tags; tags after the first code line are
    /// not read (the validator warns about them). Lists are separated by commas and/or spaces.
    /// - Parameter text: The whole script.
    /// - Returns: The metadata and diagnostics for malformed header lines: errors for a bad
    ///   `@param` (number, range, default outside the range, duplicate) or `@risk`, warnings for an
    ///   unknown tag, an empty value, a repeated single-value tag or an unknown indicator.
    /// - Complexity: O(header length); the code after the header is not read.
    public static func parse(_ text: String) -> (metadata: StrategyMetadata, diagnostics: [Diagnostic]) {
        let header = HeaderParser.parse(text)
        return (header.metadata, header.diagnostics)
    }
}

/// An item of a header list (`@indicators`, `@context`, `@symbols`) or a parameter name, located.
struct HeaderEntry: Sendable, Equatable {
    /// The item as written.
    var text: String
    /// 1-based line.
    var line: Int
    /// 1-based column (Unicode scalars).
    var column: Int
}

/// Everything the header parser learnt, with positions for the validator.
struct HeaderParse: Sendable {
    var metadata = StrategyMetadata()
    var diagnostics: [Diagnostic] = []
    /// `@indicators` items.
    var indicatorEntries: [HeaderEntry] = []
    /// `@context` items.
    var contextEntries: [HeaderEntry] = []
    /// Where each of `metadata.params` is named.
    var paramEntries: [HeaderEntry] = []
    /// Lines holding a tag, known or not.
    var tagLines: [Int] = []
    /// The first line of code; nil when the whole text is header.
    var firstCodeLine: Int?
}

/// The line-oriented header reader behind ``StrategyMetadata/parse(_:)``.
struct HeaderParser {
    private var result = HeaderParse()
    private var firstLine: [HeaderTag: Int] = [:]

    static func parse(_ text: String) -> HeaderParse {
        var parser = HeaderParser()
        parser.run(text)
        return parser.result
    }

    // MARK: Lines

    private mutating func run(_ text: String) {
        let utf8 = text.utf8
        var start = utf8.startIndex
        var lineNumber = 0
        var longCommentCloser: [Unicode.Scalar]?
        while start < utf8.endIndex {
            let newline = utf8[start...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
            var line = Array(text[start..<newline].unicodeScalars)
            start = newline == utf8.endIndex ? newline : utf8.index(after: newline)
            lineNumber += 1
            if line.last == "\r" { line.removeLast() }
            if lineNumber == 1, line.first == "\u{FEFF}" { line.removeFirst() }

            var i = 0
            if let closer = longCommentCloser {
                guard let end = Self.find(closer, in: line, from: 0) else { continue }
                longCommentCloser = nil
                i = end
            }
            // Rest of the line: blank, a comment, or code.
            while true {
                i = Self.skipSpaces(line, from: i)
                if i == line.count { break }
                guard i + 1 < line.count, line[i] == "-", line[i + 1] == "-" else {
                    result.firstCodeLine = lineNumber
                    return
                }
                if let level = Self.longBracketLevel(line, at: i + 2) {
                    let closer: [Unicode.Scalar] = ["]"] + Array(repeating: "=", count: level) + ["]"]
                    if let end = Self.find(closer, in: line, from: i + 4 + level) {
                        i = end
                        continue
                    }
                    longCommentCloser = closer
                    break
                }
                readComment(line, from: i + 2, line: lineNumber)
                break
            }
        }
    }

    /// A short comment's text, after its `--`.
    private mutating func readComment(_ line: [Unicode.Scalar], from start: Int, line lineNumber: Int) {
        var i = start
        while i < line.count, line[i] == "-" { i += 1 }
        i = Self.skipSpaces(line, from: i)
        guard i < line.count, line[i] == "@" else { return }
        var end = i + 1
        while end < line.count, Self.isIdentifierScalar(line[end]) { end += 1 }
        guard end > i + 1 else { return }  // "@ foo" is prose
        let word = String(String.UnicodeScalarView(line[(i + 1)..<end]))
        result.tagLines.append(lineNumber)
        let valueStart = Self.skipSpaces(line, from: end)
        var valueEnd = line.count
        while valueEnd > valueStart, Self.isSpace(line[valueEnd - 1]) { valueEnd -= 1 }
        guard let tag = HeaderTag(rawValue: word.lowercased()) else {
            let guess = Suggestion.didYouMean(word, in: HeaderTag.allCases.map(\.rawValue), prefix: "@")
            warn("unknown tag @\(word)\(guess); known tags: \(HeaderTag.listText)", lineNumber, i + 1)
            return
        }
        let value = Array(line[valueStart..<valueEnd])
        read(tag, value: value, line: lineNumber, tagColumn: i + 1, valueColumn: valueStart + 1)
    }

    // MARK: Tags

    private mutating func read(_ tag: HeaderTag, value: [Unicode.Scalar], line: Int, tagColumn: Int, valueColumn: Int) {
        let text = String(String.UnicodeScalarView(value))
        if tag == .name || tag == .author || tag == .risk, let first = firstLine[tag] {
            warn("@\(tag.rawValue) is given twice (first on line \(first)); the later value is used", line, tagColumn)
        }
        if firstLine[tag] == nil { firstLine[tag] = line }
        switch tag {
        case .name, .author:
            if text.isEmpty { warn("@\(tag.rawValue) has no value", line, tagColumn); return }
            if tag == .name { result.metadata.name = text } else { result.metadata.author = text }
        case .description:
            if text.isEmpty { return }
            result.metadata.description = result.metadata.description.map { $0 + " " + text } ?? text
        case .risk:
            let level = text.lowercased()
            guard StrategyMetadata.riskLevels.contains(level) else {
                let got = text.isEmpty ? "nothing" : "'\(text)'"
                error("@risk must be low, medium or high, got \(got)", line, text.isEmpty ? tagColumn : valueColumn)
                return
            }
            result.metadata.risk = level
        case .indicators, .context, .symbols:
            let items = Self.listItems(value, column: valueColumn, line: line)
            var seen = Set<String>()
            for item in items {
                let known: [String]
                switch tag {
                case .indicators: known = result.metadata.indicators
                case .context: known = result.metadata.context
                default: known = result.metadata.symbols
                }
                if known.contains(item.text) || !seen.insert(item.text).inserted {
                    warn("'\(item.text)' is listed twice in @\(tag.rawValue)", item.line, item.column)
                    continue
                }
                switch tag {
                case .indicators:
                    checkIndicator(item)
                    result.metadata.indicators.append(item.text)
                    result.indicatorEntries.append(item)
                case .context:
                    result.metadata.context.append(item.text)
                    result.contextEntries.append(item)
                default:
                    result.metadata.symbols.append(item.text)
                }
            }
        case .param:
            readParam(value, line: line, tagColumn: tagColumn, valueColumn: valueColumn)
        }
    }

    private mutating func checkIndicator(_ item: HeaderEntry) {
        let name = String(item.text.prefix { $0 != ":" && $0 != "(" })
        let names = IndicatorSpec.catalog.map(\.name)
        guard !names.contains(name) else { return }
        let guess = Suggestion.didYouMean(name, in: names)
        warn("unknown indicator '\(name)' in @indicators\(guess); available: \(names.joined(separator: ", "))", item.line, item.column)
    }

    /// `@param NAME DEFAULT [MIN, MAX] description`.
    private mutating func readParam(_ value: [Unicode.Scalar], line: Int, tagColumn: Int, valueColumn: Int) {
        let usage = "-- @param NAME DEFAULT [MIN, MAX] description"
        var i = 0
        let nameEnd = Self.wordEnd(value, from: 0)
        guard nameEnd > 0 else {
            error("@param needs a name and a default value: \(usage)", line, tagColumn)
            return
        }
        let name = String(String.UnicodeScalarView(value[0..<nameEnd]))
        guard Self.isIdentifier(name) else {
            error("@param name '\(name)' is not a Lua identifier (letters, digits and _, not starting with a digit, not a keyword)",
                  line, valueColumn)
            return
        }
        if let index = result.metadata.params.firstIndex(where: { $0.name == name }) {
            error("duplicate @param '\(name)' (first declared on line \(result.metadata.params[index].line))", line, valueColumn)
            return
        }
        i = Self.skipSpaces(value, from: nameEnd)
        let defaultStart = i
        let defaultEnd = Self.wordEnd(value, from: i)
        guard defaultEnd > defaultStart else {
            error("@param \(name) needs a default value: \(usage)", line, valueColumn + nameEnd)
            return
        }
        let defaultText = String(String.UnicodeScalarView(value[defaultStart..<defaultEnd]))
        guard let defaultValue = Self.number(defaultText) else {
            error("@param \(name): default '\(defaultText)' is not a number", line, valueColumn + defaultStart)
            return
        }
        var isInteger = defaultValue.isInteger
        var spec = ParamSpec(name: name, defaultValue: defaultValue.value, line: line)
        i = Self.skipSpaces(value, from: defaultEnd)
        if i < value.count, value[i] == "[" {
            let rangeStart = i
            if let close = value[i...].firstIndex(of: "]") {
                let inner = Array(value[(i + 1)..<close])
                let rangeText = String(String.UnicodeScalarView(value[rangeStart...close]))
                let parts = Self.listItems(inner, column: valueColumn + i + 1, line: line)
                let numbers = parts.map { Self.number($0.text) }
                if parts.count != 2 {
                    error("@param \(name): range must be [MIN, MAX], got '\(rangeText)'", line, valueColumn + rangeStart)
                } else if let bad = zip(parts, numbers).first(where: { $0.1 == nil })?.0 {
                    error("@param \(name): range bound '\(bad.text)' is not a number", bad.line, bad.column)
                } else if let lo = numbers[0], let hi = numbers[1] {
                    if lo.value > hi.value {
                        error("@param \(name): range \(rangeText) has its minimum above its maximum", line, valueColumn + rangeStart)
                    } else {
                        spec.minimum = lo.value
                        spec.maximum = hi.value
                        isInteger = isInteger && lo.isInteger && hi.isInteger
                        if !(lo.value...hi.value).contains(defaultValue.value) {
                            error("@param \(name): default \(defaultText) is outside its range \(rangeText)", line, valueColumn + defaultStart)
                        }
                    }
                }
                i = close + 1
            } else {
                error("@param \(name): range '\(String(String.UnicodeScalarView(value[i...])))' is missing its closing ']'",
                      line, valueColumn + i)
                i = value.count
            }
        }
        spec.isInteger = isInteger
        i = Self.skipSpaces(value, from: i)
        if i < value.count { spec.summary = String(String.UnicodeScalarView(value[i...])) }
        result.metadata.params.append(spec)
        result.paramEntries.append(HeaderEntry(text: name, line: line, column: valueColumn))
    }

    // MARK: Diagnostics

    private mutating func error(_ message: String, _ line: Int, _ column: Int) {
        result.diagnostics.append(Diagnostic(line: line, column: column, severity: .error, message: message))
    }

    private mutating func warn(_ message: String, _ line: Int, _ column: Int) {
        result.diagnostics.append(Diagnostic(line: line, column: column, severity: .warning, message: message))
    }

    // MARK: Scanning helpers

    static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\u{0B}" || c == "\u{0C}" }

    static func isIdentifierScalar(_ c: Unicode.Scalar) -> Bool {
        c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_")
    }

    /// A Lua name that is not a keyword.
    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy(isIdentifierScalar) && !LuaLexer.keywords.contains(text)
    }

    static func skipSpaces(_ line: [Unicode.Scalar], from start: Int) -> Int {
        var i = start
        while i < line.count, isSpace(line[i]) { i += 1 }
        return i
    }

    /// End of the run of non-space scalars at `start`.
    static func wordEnd(_ line: [Unicode.Scalar], from start: Int) -> Int {
        var i = start
        while i < line.count, !isSpace(line[i]) { i += 1 }
        return i
    }

    /// Items separated by commas and/or spaces, with their columns.
    static func listItems(_ value: [Unicode.Scalar], column: Int, line: Int) -> [HeaderEntry] {
        var items: [HeaderEntry] = []
        var i = 0
        while i < value.count {
            while i < value.count, isSpace(value[i]) || value[i] == "," { i += 1 }
            let start = i
            while i < value.count, !isSpace(value[i]), value[i] != "," { i += 1 }
            if i > start {
                items.append(HeaderEntry(text: String(String.UnicodeScalarView(value[start..<i])), line: line, column: column + start))
            }
        }
        return items
    }

    /// `[=*[` at `i`: the level (count of `=`), else nil.
    static func longBracketLevel(_ line: [Unicode.Scalar], at i: Int) -> Int? {
        guard i < line.count, line[i] == "[" else { return nil }
        var j = i + 1
        while j < line.count, line[j] == "=" { j += 1 }
        return j < line.count && line[j] == "[" ? j - i - 1 : nil
    }

    /// The index just past the first occurrence of `needle` at or after `start`.
    static func find(_ needle: [Unicode.Scalar], in line: [Unicode.Scalar], from start: Int) -> Int? {
        guard needle.count <= line.count, start <= line.count - needle.count else { return nil }
        for i in start...(line.count - needle.count) where line[i..<(i + needle.count)].elementsEqual(needle) {
            return i + needle.count
        }
        return nil
    }

    /// A decimal number as a header writes it: `10`, `-2`, `0.5`, `.5`, `1e-3` (no hex, inf or nan).
    /// `isInteger` when written without a decimal point or exponent.
    static func number(_ text: String) -> (value: Double, isInteger: Bool)? {
        var digits = 0, isInteger = true, seenExponent = false, previous: Unicode.Scalar = " "
        for (k, c) in text.unicodeScalars.enumerated() {
            switch c {
            case "0"..."9": digits += 1
            case "+", "-": guard k == 0 || previous == "e" || previous == "E" else { return nil }
            case ".": guard isInteger, !seenExponent else { return nil }; isInteger = false
            case "e", "E": guard digits > 0, !seenExponent else { return nil }; seenExponent = true; isInteger = false
            default: return nil
            }
            previous = c
        }
        guard digits > 0, !"eE+-".unicodeScalars.contains(previous), let value = Double(text), value.isFinite else { return nil }
        return (value, isInteger && !seenExponent)
    }
}

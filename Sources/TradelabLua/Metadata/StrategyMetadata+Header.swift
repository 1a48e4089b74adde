extension StrategyMetadata {
    /// The canonical header comments for this metadata, one tag per line, each line ending in a
    /// newline; empty fields are left out.
    ///
    /// ```lua
    /// -- @name EMA Crossover
    /// -- @description Buys when the fast EMA crosses above the slow one.
    /// -- @author Tradelab
    /// -- @indicators ema
    /// -- @symbols BTCUSDT, ETHUSDT
    /// -- @risk medium
    /// -- @param fast 12 [2, 100] fast EMA period
    /// ```
    ///
    /// `parse(m.headerText()).metadata == m` for every metadata a header can express: strings
    /// without line breaks or surrounding spaces, list items without commas or spaces, parameters
    /// with both bounds or none. Line breaks inside a value become spaces; a long description is
    /// wrapped over several `@description` lines, which parse joins back with single spaces.
    /// - Returns: The header text.
    public func headerText() -> String {
        var lines: [String] = []
        func add(_ tag: HeaderTag, _ value: String?) {
            guard let value = value.map(Self.singleLine), !value.isEmpty else { return }
            lines.append("-- @\(tag.rawValue) \(value)")
        }
        add(.name, name)
        if let description = description.map(Self.singleLine), !description.isEmpty {
            for part in Self.wrap(description, width: 96 - "-- @description ".count) {
                lines.append("-- @description \(part)")
            }
        }
        add(.author, author)
        add(.indicators, indicators.joined(separator: ", "))
        add(.context, context.joined(separator: ", "))
        add(.symbols, symbols.joined(separator: ", "))
        add(.risk, risk)
        for p in params {
            var line = "-- @param \(p.name) \(p.renderedDefault)"
            if p.minimum != nil, p.maximum != nil { line += " \(p.renderedRange)" }
            if let summary = p.summary.map(Self.singleLine), !summary.isEmpty { line += " \(summary)" }
            lines.append(line)
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// `script` with its header tags replaced by ``headerText()``: the rendered tags go where the
    /// first tag was (or at the top), untagged comments and the code stay as they are.
    ///
    /// The web IDE's metadata form calls this to keep the script in sync with the form.
    /// - Parameter script: The whole script.
    /// - Returns: The script with the new header.
    public func applyingHeader(to script: String) -> String {
        let header = HeaderParser.parse(script)
        var lines = script.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let crlf = lines.first?.hasSuffix("\r") ?? false
        var rendered = headerText().split(separator: "\n").map { String($0) + (crlf ? "\r" : "") }
        let tagLines = Set(header.tagLines)
        let insertAt = (header.tagLines.first ?? 1) - 1
        var kept: [String] = []
        for (index, line) in lines.enumerated() {
            if index == insertAt { kept += rendered; rendered = [] }
            if !tagLines.contains(index + 1) { kept.append(line) }
        }
        kept += rendered
        lines = kept
        return lines.joined(separator: "\n")
    }

    /// Line breaks and tabs become spaces; surrounding spaces are trimmed.
    static func singleLine(_ text: String) -> String {
        let flat = String(text.unicodeScalars.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : Character($0) })
        return String(flat.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    /// Splits `text` at single spaces between words so each part fits in `width` where possible;
    /// joining the parts with one space gives `text` back.
    static func wrap(_ text: String, width: Int) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var parts: [String] = []
        var start = 0
        while scalars.count - start > width {
            // The last breakable space within the width, else the first one after it.
            var breakAt: Int?
            var i = start + 1
            while i < scalars.count - 1 {
                if scalars[i] == " ", scalars[i - 1] != " ", scalars[i + 1] != " " {
                    if i - start <= width || breakAt == nil { breakAt = i }
                    if i - start > width { break }
                }
                i += 1
            }
            guard let cut = breakAt else { break }
            parts.append(String(String.UnicodeScalarView(scalars[start..<cut])))
            start = cut + 1
        }
        parts.append(String(String.UnicodeScalarView(scalars[start...])))
        return parts
    }
}

extension ParamSpec {
    /// The default as the header writes it: a decimal parameter always shows a fraction or an
    /// exponent (`2.0`), so parsing it back keeps it decimal.
    var renderedDefault: String { isInteger ? format(defaultValue) : String(defaultValue) }

    /// "[2, 100]" or, for a decimal parameter, "[0.5, 4.0]".
    var renderedRange: String {
        guard let minimum, let maximum else { return "" }
        return isInteger ? "[\(format(minimum)), \(format(maximum))]" : "[\(String(minimum)), \(String(maximum))]"
    }
}

extension ValidationPass {
    /// `trade.*` functions.
    static let tradeFunctions = ["buy", "sell", "revert", "close"]
    /// Options of `trade.buy{...}` / `trade.sell{...}`.
    static let tradeOptions = ["size", "qty", "cash", "sl", "tp", "sl_pct", "tp_pct", "limit", "stop"]
    /// Strings `on_bar` may return.
    static let actions = ["buy", "sell", "revert", "close", "hold"]
    /// Sides of a lifecycle signal (`"buy"`/`"sell"` are accepted as synonyms).
    static let sides = ["long", "short", "buy", "sell"]

    /// `trade.NAME` names, `trade.buy`/`sell` options written as literals, and literal values
    /// returned by `on_bar`.
    mutating func checkTrade() {
        for k in 0..<source.count where source.tokens[k].isName("trade") && source.isFreeName(k) {
            guard let field = field(after: k), source.tokens[k + 1].is(".") else { continue }
            guard Self.tradeFunctions.contains(field.name) else {
                report(.error, "unknown function trade.\(field.name)\(Suggestion.didYouMean(field.name, in: Self.tradeFunctions, prefix: "trade."))"
                           + "; trade has buy, sell, revert and close", at: field.token)
                continue
            }
            guard let call = source[field.next] else { continue }
            var arguments: [Range<Int>]
            if call.is("(") {
                guard source.partner[field.next] > field.next else { continue }
                arguments = source.arguments(open: field.next)
            } else if call.is("{"), source.partner[field.next] > field.next {
                arguments = [field.next..<(Int(source.partner[field.next]) + 1)]
            } else if call.kind == .string {
                arguments = [field.next..<(field.next + 1)]
            } else {
                continue
            }
            let function = "trade.\(field.name)"
            if field.name == "revert" || field.name == "close" {
                if !arguments.isEmpty { report(.error, "\(function) takes no arguments", at: arguments[0].lowerBound) }
                continue
            }
            guard let argument = arguments.first else { continue }
            if arguments.count > 1 {
                report(.error, "\(function) takes one argument: a fraction of equity or an options table", at: arguments[1].lowerBound)
            }
            if let (value, text) = source.literalNumber(argument), !(value > 0 && value <= 1) {
                report(.error, "\(function)(\(text)): a bare number is a fraction of equity in (0, 1]; use \(function){qty = \(text)} "
                           + "or \(function){cash = \(text)}", at: argument.lowerBound)
            } else if source.tokens[argument.lowerBound].is("{") {
                checkOptions(of: function, table: argument.lowerBound)
            }
        }
        checkReturnedActions()
        checkSignals()
    }

    /// What `detect_opportunity` returns: a side string or a signal table whose `side` and trade
    /// options are checked like `trade.buy{...}`'s.
    private mutating func checkSignals() {
        for k in 0..<source.count where source.tokens[k].is("return") {
            let owner = Int(source.owner[k])
            guard owner >= 0, source.functions[owner].isTopLevel, source.functions[owner].name == "detect_opportunity",
                  let value = source[k + 1] else { continue }
            if value.is("{"), Int(source.partner[k + 1]) > k + 1 {
                checkOptions(of: "detect_opportunity's signal", table: k + 1, isSignal: true)
            } else if value.kind == .string, source[k + 2].map({ $0.is("end") || $0.is(";") || $0.is("else") || $0.is("elseif") }) ?? true,
                      !Self.sides.contains(value.text) {
                report(.error, "detect_opportunity returns \"\(value.text)\"\(Suggestion.didYouMean(value.text, in: Self.sides)); "
                           + "return a signal table ({side = \"long\", sl_pct = 2, ...}), \"long\", \"short\" or nil", at: k + 1)
            }
        }
    }

    /// The `key = value` fields of an options table. A lifecycle signal (`isSignal`) is a table of
    /// trade options plus its own fields (`side`, `reason`, ...): there an unknown key is only
    /// reported when it looks like a misspelt option, as a warning (the engine ignores it).
    private mutating func checkOptions(of function: String, table open: Int, isSignal: Bool = false) {
        let close = Int(source.partner[open])
        guard close > open else { return }
        var given: [String: Int] = [:]
        var k = open + 1
        while k < close {
            let t = source.tokens[k]
            if t.kind == .symbol, t.text == "(" || t.text == "[" || t.text == "{", source.partner[k] > k {
                k = Int(source.partner[k]) + 1
                continue
            }
            if t.kind == .name, source.tokens[k + 1].is("="), let previous = source[k - 1], previous.is("{") || previous.is(",") || previous.is(";") {
                if isSignal, t.text == "side" {
                    let valueEnd = nextFieldEnd(from: k + 2, close: close)
                    if let side = source.literalString((k + 2)..<valueEnd), !Self.sides.contains(side) {
                        report(.error, "a signal's side is \"long\" or \"short\", got \"\(side)\"\(Suggestion.didYouMean(side, in: Self.sides)) "
                                   + "(the engine would enter long)", at: k + 2)
                    }
                } else if isSignal, !Self.tradeOptions.contains(t.text) {
                    if let guess = Suggestion.closest(to: t.text, in: Self.tradeOptions) {
                        report(.warning, "signal field '\(t.text)' is not a trade option (did you mean '\(guess)'?); the engine ignores it", at: k)
                    }
                } else if !Self.tradeOptions.contains(t.text) {
                    report(.error, "\(function) has no option '\(t.text)'\(Suggestion.didYouMean(t.text, in: Self.tradeOptions)); "
                               + "options: \(Self.tradeOptions.joined(separator: ", "))", at: k)
                } else {
                    given[t.text] = k
                    let valueEnd = nextFieldEnd(from: k + 2, close: close)
                    if let (value, text) = source.literalNumber((k + 2)..<valueEnd) {
                        if !(value > 0) {
                            report(.error, "\(function): option '\(t.text)' must be a positive number, got \(text)", at: k + 2)
                        } else if t.text == "size", value > 1 {
                            report(.error, "\(function): size is a fraction of equity in (0, 1], got \(text); use qty for units or cash for an amount",
                                   at: k + 2)
                        } else if t.text == "sl_pct" || t.text == "tp_pct", value < 0.1 {
                            report(.warning, "\(function): \(t.text) is in percent: \(text) means \(text)%, not \(formatPercent(value * 100))%",
                                   at: k + 2)
                        }
                    }
                }
            }
            k += 1
        }
        let sizes = ["size", "qty", "cash"].filter { given[$0] != nil }
        if sizes.count > 1 {
            report(.error, "\(function): give one of size, qty or cash, not \(sizes.joined(separator: " and "))", at: given[sizes[1]]!)
        }
        if let limit = given["limit"], given["stop"] != nil {
            report(.error, "\(function): give limit or stop, not both", at: limit)
        }
    }

    /// The index of the `,`, `;` or closing brace that ends a table field starting at `start`.
    private func nextFieldEnd(from start: Int, close: Int) -> Int {
        var k = start
        while k < close {
            let t = source.tokens[k]
            if t.is(",") || t.is(";") { return k }
            if t.kind == .symbol, t.text == "(" || t.text == "[" || t.text == "{", source.partner[k] > k {
                k = Int(source.partner[k]) + 1
                continue
            }
            k += 1
        }
        return close
    }

    private func formatPercent(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// `return "long"` in on_bar: only the action strings (or nil) mean something.
    private mutating func checkReturnedActions() {
        for k in 0..<source.count where source.tokens[k].is("return") {
            let owner = Int(source.owner[k])
            guard owner >= 0, source.functions[owner].isTopLevel, source.functions[owner].name == "on_bar",
                  let value = source[k + 1] else { continue }
            let endsHere = source[k + 2].map { $0.is("end") || $0.is(";") || $0.is("else") || $0.is("elseif") } ?? true
            guard endsHere else { continue }
            let quoted: String
            switch value.kind {
            case .string where !Self.actions.contains(value.text):
                quoted = "\"\(value.text)\"" + Suggestion.didYouMean(value.text, in: Self.actions)
            case .number:
                quoted = value.text
            case .keyword where value.text == "true" || value.text == "false":
                quoted = value.text
            default:
                continue
            }
            report(.error, "on_bar returns \(quoted); return \"buy\", \"sell\", \"revert\", \"close\", \"hold\" or nil", at: k + 1)
        }
    }
}

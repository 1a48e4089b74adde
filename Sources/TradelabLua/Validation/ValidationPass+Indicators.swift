import TradelabCore

extension ValidationPass {
    /// `ta.*` functions that are not indicators.
    static let indicatorHelpers = ["crossover", "crossunder"]

    /// The field of a multi-output indicator's table for catalog output `output`:
    /// `macd_signal` -> `signal`, `bb_upper` -> `upper`, `macd` -> `macd`.
    static func outputField(_ output: String) -> String {
        output.split(separator: "_", maxSplits: 1).last.map(String.init) ?? output
    }

    /// The order in which an indicator's outputs get their first value: MACD's line before its
    /// signal and histogram, the stochastic's %K before %D; bands and channels all at once.
    static func warmUpRank(of kind: IndicatorKind, output: Int) -> Int {
        switch kind {
        case .macd, .stoch: output == 0 ? 0 : 1
        default: 0
        }
    }

    /// `ta.NAME(...)` calls: known names, argument counts and literal ranges, declaration inside
    /// `on_init`, and agreement with `@indicators`. Records where indicator objects are kept.
    mutating func checkIndicatorCalls() {
        let catalog = Dictionary(uniqueKeysWithValues: IndicatorSpec.catalog.map { ($0.name, $0) })
        let known = IndicatorSpec.catalog.map(\.name) + Self.indicatorHelpers
        var firstUse: [String: Int] = [:]
        var firstUseOrder: [String] = []
        for k in 0..<source.count where source.tokens[k].isName("ta") && source.isFreeName(k) {
            guard let dot = source[k + 1], dot.is("."), let nameToken = source[k + 2], nameToken.kind == .name else { continue }
            let name = nameToken.text
            let info = catalog[name]
            if info == nil, !Self.indicatorHelpers.contains(name) {
                report(.error, "unknown indicator ta.\(name)\(Suggestion.didYouMean(name, in: known, prefix: "ta."))"
                           + "; available: \(known.joined(separator: ", "))", at: k + 2)
                continue
            }
            guard let open = source[k + 3], open.is("("), source.partner[k + 3] > k + 3 else { continue }
            let arguments = source.arguments(open: k + 3)
            guard let info else {
                if arguments.count != 2 {
                    report(.error, "ta.\(name) takes 2 arguments (a, b: indicators or numbers), got \(arguments.count)", at: k + 2)
                }
                continue
            }
            if firstUse[name] == nil {
                firstUse[name] = k
                firstUseOrder.append(name)
            }
            let owner = source.topFunction(of: k)
            let inInit = owner?.name == "on_init"
            let isArrayForm = checkArguments(of: info, arguments, call: k, inInit: inInit)
            if isArrayForm { continue }
            if !inInit {
                report(.warning, "ta.\(name)(...) outside on_init: declare indicators in on_init (they are computed once, "
                           + "natively, before the first bar); elsewhere pass an array: ta.\(name)(..., values)", at: k)
            }
            if let path = assignmentTarget(before: k) {
                if info.outputs.count == 1 {
                    indicatorPaths[path] = IndicatorPath(indicator: name, root: path, rank: 0)
                } else {
                    for (index, output) in info.outputs.enumerated() {
                        indicatorPaths[path + "." + Self.outputField(output)] =
                            IndicatorPath(indicator: name, root: path, rank: Self.warmUpRank(of: info.kind, output: index))
                    }
                }
            }
        }
        // @indicators against the calls.
        let listed = Set(header.indicatorEntries.map { String($0.text.prefix { $0 != ":" && $0 != "(" }) })
        for entry in header.indicatorEntries {
            let name = String(entry.text.prefix { $0 != ":" && $0 != "(" })
            if catalog[name] != nil, firstUse[name] == nil {
                report(.warning, "@indicators lists '\(name)' but the script never calls ta.\(name)", line: entry.line, column: entry.column)
            }
        }
        for name in firstUseOrder where !listed.contains(name) {
            report(.info, "ta.\(name) is used but not listed in @indicators", at: firstUse[name]!)
        }
    }

    /// Checks the arguments of `ta.NAME(...)`: numbers for the parameters, then optionally a price
    /// source string (single-series indicators) or an array (the array form).
    /// - Returns: Whether the call is the array form (`ta.sma(20, closes)`), which works anywhere.
    private mutating func checkArguments(of info: IndicatorInfo, _ arguments: [Range<Int>], call k: Int, inInit: Bool) -> Bool {
        let name = info.name
        var parameters = arguments
        var isArrayForm = false
        var errors = diagnostics.count
        if let last = arguments.last {
            if let text = source.literalString(last) {
                parameters.removeLast()
                if !info.acceptsSource {
                    report(.error, "ta.\(name) takes no price source ('\(text)'): it reads fixed bar fields", at: last.lowerBound)
                } else if PriceSource(rawValue: text) == nil {
                    report(.error, "ta.\(name): unknown price source '\(text)'\(Suggestion.didYouMean(text, in: PriceSource.allCases.map(\.rawValue)))"
                               + "; use one of \(PriceSource.allCases.map(\.rawValue).joined(separator: ", "))", at: last.lowerBound)
                }
            } else if source.literalNumber(last) == nil, looksLikeArray(last, position: arguments.count, of: info, inInit: inInit) {
                parameters.removeLast()
                isArrayForm = true
                if !info.acceptsSource {
                    report(.error, "ta.\(name) reads high, low, close or volume bars; only single-series indicators take an array",
                           at: last.lowerBound)
                }
            }
        }
        for (index, argument) in parameters.enumerated() where source.literalString(argument) != nil {
            report(.error, "ta.\(name): argument \(index + 1) is a string; numbers (the parameters) come first, a price source last",
                   at: argument.lowerBound)
        }
        if parameters.count > info.parameters.count {
            let names = info.parameters.map(\.name).joined(separator: ", ")
            let takes = info.parameters.isEmpty ? "no parameters" : "at most \(info.parameters.count) parameter\(info.parameters.count == 1 ? "" : "s") (\(names))"
            report(.error, "ta.\(name) takes \(takes), got \(parameters.count)", at: parameters[info.parameters.count].lowerBound)
        }
        var literals: [Double] = []
        for (index, argument) in parameters.prefix(info.parameters.count).enumerated() {
            guard let (value, text) = source.literalNumber(argument) else { continue }
            literals.append(value)
            let p = info.parameters[index]
            if !value.isFinite || (p.isInteger && value != value.rounded()) || !p.range.contains(value) {
                let allowed = p.isInteger ? "an integer in \(Int(p.range.lowerBound))...\(Int(p.range.upperBound))"
                    : "a number in \(formatNumber(p.range.lowerBound))...\(formatNumber(p.range.upperBound))"
                report(.error, "ta.\(name): parameter '\(p.name)' must be \(allowed), got \(text)", at: argument.lowerBound)
            }
        }
        // Rules across parameters (macd: fast <= slow) when every parameter is a literal.
        errors = diagnostics.count - errors
        if errors == 0, literals.count == parameters.count, !literals.isEmpty {
            do {
                _ = try IndicatorSpec(name: name, parameters: literals)
            } catch {
                report(.error, "ta.\(name): \(error.reason)", at: k)
            }
        }
        return isArrayForm
    }

    /// Whether the last argument of an indicator call is an array of values rather than a
    /// parameter: a table constructor, an argument past the parameters, or (outside `on_init`) a
    /// value that does not read `params`.
    private func looksLikeArray(_ argument: Range<Int>, position: Int, of info: IndicatorInfo, inInit: Bool) -> Bool {
        let first = source.tokens[argument.lowerBound]
        if first.is("{"), Int(source.partner[argument.lowerBound]) == argument.upperBound - 1 { return true }
        if position > info.parameters.count { return true }
        if inInit { return false }
        return !argument.contains { source.tokens[$0].isName("params") }
    }

    /// `x = ta...`, `local x = ta...`, `ctx.state.x = ta...`: the assigned path, else nil.
    private func assignmentTarget(before k: Int) -> String? {
        guard k >= 2, source.tokens[k - 1].is("="), source.tokens[k - 2].kind == .name else { return nil }
        var start = k - 2
        while start >= 2, source.tokens[start - 1].is("."), source.tokens[start - 2].kind == .name { start -= 2 }
        if let previous = source[start - 1], previous.is(":") || previous.is(",") || previous.is("]") { return nil }
        return stride(from: start, through: k - 2, by: 2).map { source.tokens[$0].text }.joined(separator: ".")
    }
}

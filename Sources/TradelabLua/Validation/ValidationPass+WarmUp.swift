extension ValidationPass {
    /// Operators that fail on nil (arithmetic, comparison, concatenation, bitwise).
    static let nilFailingOperators: Set<String> = [
        "+", "-", "*", "/", "//", "%", "^", "..", "<", ">", "<=", ">=", "==", "~=", "&", "|", "~", "<<", ">>",
    ]
    /// Keywords around a value that test it for truth (`if x.value then`, `x.value and ...`).
    static let truthTests: Set<String> = ["if", "elseif", "while", "until", "and", "or", "not", "then", "do"]

    /// Warm-up: in each callback that receives bars (`on_bar` and the lifecycle callbacks), an
    /// indicator value (`X.value`, `X[n]`) used next to an operator that fails on nil needs a
    /// guard on the same indicator somewhere in that callback: `X.value == nil`, `X.value ~= nil`,
    /// `not X.value`, or a truth test such as `if X.value then` / `X.value and ...`. For an
    /// indicator with several outputs, a check on one output covers the outputs that warm up no
    /// later (all bands of `ta.bbands`; `m.macd` after a check on `m.signal`, not the reverse).
    ///
    /// A heuristic: it does not follow values through locals or into helper functions, and a
    /// guard anywhere in the callback counts, wherever it sits.
    mutating func checkWarmUp() {
        guard !indicatorPaths.isEmpty else { return }
        // Per callback (by the index of its `function` keyword): the highest guarded rank of each
        // root, and the risky uses in order.
        var guarded: [Int: [String: Int]] = [:]
        var risky: [Int: [(path: IndicatorPath, name: String, token: Int, text: String)]] = [:]
        let roots = Set(indicatorPaths.values.map { String($0.root.prefix { $0 != "." }) })
        for k in 0..<source.count where source.tokens[k].kind == .name && roots.contains(source.tokens[k].text) && source.isFreeName(k) {
            guard let f = source.topFunction(of: k), let name = f.name, Self.barCallbacks.contains(name) else { continue }
            let chain = source.chain(at: k)
            var key: String
            var end: Int
            if chain.names.count >= 2, chain.names.last == "value" {
                key = chain.names.dropLast().joined(separator: ".")
                end = chain.last
            } else if let bracket = source[chain.last + 1], bracket.is("["), source.partner[chain.last + 1] > chain.last + 1 {
                key = chain.names.joined(separator: ".")
                end = Int(source.partner[chain.last + 1])
            } else {
                continue
            }
            guard let path = indicatorPaths[key] else { continue }
            switch classify(from: k, to: end) {
            case .guard:
                guarded[f.keyword, default: [:]][path.root] = max(guarded[f.keyword]?[path.root] ?? -1, path.rank)
            case .risky:
                let text = source.tokens[k...end].map(\.text).joined()
                risky[f.keyword, default: []].append((path, key, k, text))
            case .neutral:
                break
            }
        }
        for (function, uses) in risky {
            var warned = Set<String>()
            for use in uses where (guarded[function]?[use.path.root] ?? -1) < use.path.rank && warned.insert(use.name).inserted {
                report(.warning, "\(use.text) is nil during warm-up (until \(use.name) has enough bars) and is used here in "
                           + "arithmetic or a comparison; check it first, e.g. 'if \(use.text) == nil then return end'",
                       at: use.token)
            }
        }
    }

    private enum ValueUse { case `guard`, risky, neutral }

    /// How the value spanning tokens `start...end` is used, judged by its neighbours.
    private func classify(from start: Int, to end: Int) -> ValueUse {
        let before = source[start - 1], after = source[end + 1]
        let isNilComparison = { (op: LuaToken?, other: LuaToken?) in
            (op?.is("==") ?? false || op?.is("~=") ?? false) && (other?.is("nil") ?? false)
        }
        if isNilComparison(after, source[end + 2]) || isNilComparison(before, source[start - 2]) { return .guard }
        if let after, after.kind == .symbol, Self.nilFailingOperators.contains(after.text) { return .risky }
        if let before, before.kind == .symbol, Self.nilFailingOperators.contains(before.text) { return .risky }
        if let before, before.kind == .keyword, Self.truthTests.contains(before.text) { return .guard }
        if let after, after.kind == .keyword, Self.truthTests.contains(after.text) { return .guard }
        return .neutral
    }
}

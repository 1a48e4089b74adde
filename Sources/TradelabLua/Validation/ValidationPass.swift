import TradelabCore

/// Where a script keeps an indicator object, and how it warms up relative to its siblings.
struct IndicatorPath: Sendable, Equatable {
    /// The indicator's name (`macd`).
    var indicator: String
    /// The variable holding the indicator or its table of outputs (`m` for `m.hist`).
    var root: String
    /// Outputs of one indicator with a higher rank get their first value later: a nil check on
    /// one output covers the outputs of the same or a lower rank (`m.signal` covers `m.macd`).
    var rank: Int
}

/// One run of the validator's rules over a compiled script. Each rule lives in its own file
/// (`ValidationPass+Style.swift`, ...) and appends to ``diagnostics``.
struct ValidationPass {
    let source: LuaSource
    let header: HeaderParse
    /// Findings so far.
    var diagnostics: [Diagnostic] = []
    /// The detected style.
    var style: StrategyStyle?
    /// Indicator objects the script keeps, by access path (`fast`, `m.hist`, `ctx.state.rsi`).
    /// Filled by the `ta.*` rule, read by the warm-up rule.
    var indicatorPaths: [String: IndicatorPath] = [:]

    /// Functions the runtime calls with `(ctx, bar, ...)`.
    static let barCallbacks: Set<String> = ["on_bar", "detect_opportunity", "filter_commitment", "manage_position"]

    /// `bar`, `ctx` and the parameter names of the callbacks and `on_init`: the only names the
    /// field rules look at (a cheap filter before finding the enclosing function).
    let tableNames: Set<String>

    init(source: LuaSource, header: HeaderParse) {
        self.source = source
        self.header = header
        var names: Set<String> = ["bar", "ctx"]
        for f in source.functions where f.isTopLevel {
            guard let name = f.name, Self.barCallbacks.contains(name) || name == "on_init" else { continue }
            names.formUnion(f.parameters.prefix(name == "manage_position" ? 3 : 2))
        }
        tableNames = names
    }

    /// Runs every rule.
    mutating func run() {
        checkStyle()
        checkIndicatorCalls()
        checkFields()
        checkWarmUp()
        checkTrade()
        checkMisplacedTags()
    }

    // MARK: Reporting

    mutating func report(_ severity: Diagnostic.Severity, _ message: String, at token: Int) {
        let t = source.tokens[token]
        diagnostics.append(Diagnostic(line: t.line, column: source.column(of: t), severity: severity, message: message))
    }

    mutating func report(_ severity: Diagnostic.Severity, _ message: String, line: Int, column: Int = 1) {
        diagnostics.append(Diagnostic(line: line, column: column, severity: severity, message: message))
    }

    // MARK: Shared questions

    /// Names that mean the `bar` table at token `index`: `bar`, and the second parameter of the
    /// enclosing callback (`function on_bar(c, b)` -> `b`).
    func barNames(at index: Int) -> (String, String?) {
        guard let f = source.topFunction(of: index), let name = f.name, Self.barCallbacks.contains(name),
              f.parameters.count > 1 else { return ("bar", nil) }
        return ("bar", f.parameters[1])
    }

    /// Names that mean the `ctx` table at token `index`: `ctx`, and the first parameter of the
    /// enclosing callback or `on_init`.
    func contextNames(at index: Int) -> (String, String?) {
        guard let f = source.topFunction(of: index), let name = f.name,
              Self.barCallbacks.contains(name) || name == "on_init", let first = f.parameters.first else { return ("ctx", nil) }
        return ("ctx", first)
    }

    /// The name of the `position` table at token `index`: the third parameter of `manage_position`.
    func positionName(at index: Int) -> String? {
        guard let f = source.topFunction(of: index), f.name == "manage_position", f.parameters.count > 2 else { return nil }
        return f.parameters[2]
    }

    /// The field read at a free name `index`: `x.field` or `x["field"]`, with the token of the
    /// field name and the token after the access.
    func field(after index: Int) -> (name: String, token: Int, next: Int)? {
        guard let next = source[index + 1] else { return nil }
        if next.is("."), let f = source[index + 2], f.kind == .name { return (f.text, index + 2, index + 3) }
        if next.is("["), let s = source[index + 2], s.kind == .string, let close = source[index + 3], close.is("]") {
            return (s.text, index + 2, index + 4)
        }
        return nil
    }

    /// Whether token `index` is a plain `=` (an assignment, not `==`).
    func isAssignment(_ index: Int) -> Bool { source[index]?.is("=") ?? false }
}

extension ValidationPass {
    /// Fields every bar has.
    static let barFields = ["ts", "time", "index", "open", "high", "low", "close", "volume"]
    /// Fields of `ctx`.
    static let contextFields = ["symbol", "timeframe", "position", "cash", "equity", "unrealized_pnl", "realized_pnl",
                                "step", "index", "ts", "time", "open_trades", "entry_price", "state"]
    /// Fields of the `position` table `manage_position` receives.
    static let positionFields = ["side", "quantity", "entry_price", "unrealized_pnl", "bars_held"]

    /// `bar.NAME` against the standard fields and `@context`, `ctx.NAME` against ctx's fields,
    /// `params.NAME` against the `@param` declarations, `position.NAME` in `manage_position`; writes
    /// to `bar` and `ctx` (read-only).
    mutating func checkFields() {
        let declaredContext = Set(header.metadata.context)
        let declaredParams = header.metadata.params.map(\.name)
        var contextRead = Set<String>()
        var paramsRead = Set<String>()
        var paramsDynamic = false
        var barWarned = Set<String>()
        var ctxWarned = Set<String>()
        var positionWarned = Set<String>()
        for k in 0..<source.count where source.isFreeName(k) {
            let name = source.tokens[k].text
            guard name == "params" || tableNames.contains(name) else { continue }
            let bars = barNames(at: k), contexts = contextNames(at: k)
            if name == bars.0 || name == bars.1 {
                guard let field = field(after: k) else { continue }
                if isAssignment(field.next) {
                    report(.error, "\(name) is read-only: bar fields cannot be assigned (keep your own data in ctx.state)", at: k)
                } else if declaredContext.contains(field.name) {
                    contextRead.insert(field.name)
                } else if !Self.barFields.contains(field.name), barWarned.insert(field.name).inserted {
                    report(.warning, "\(name).\(field.name) is not a bar field: bars have \(Self.barFields.joined(separator: ", ")) "
                               + "and the dataset columns declared in @context (add '-- @context \(field.name)' if your data has that column)",
                           at: field.token)
                }
            } else if name == contexts.0 || name == contexts.1 {
                guard let field = field(after: k) else { continue }
                if isAssignment(field.next) {
                    report(.error, "\(name) is read-only: keep your own data in ctx.state (ctx.state.\(field.name) = ...)", at: k)
                } else if !Self.contextFields.contains(field.name), ctxWarned.insert(field.name).inserted {
                    report(.warning, "ctx has no field '\(field.name)'\(Suggestion.didYouMean(field.name, in: Self.contextFields)); "
                               + "fields: \(Self.contextFields.joined(separator: ", "))", at: field.token)
                }
            } else if name == positionName(at: k) {
                guard let field = field(after: k) else { continue }
                if !Self.positionFields.contains(field.name), positionWarned.insert(field.name).inserted {
                    report(.warning, "\(name) has no field '\(field.name)'\(Suggestion.didYouMean(field.name, in: Self.positionFields)); "
                               + "fields: \(Self.positionFields.joined(separator: ", "))", at: field.token)
                }
            } else if name == "params" {
                guard let field = field(after: k) else {
                    paramsDynamic = true
                    continue
                }
                paramsRead.insert(field.name)
                if !declaredParams.contains(field.name) {
                    let declared = declaredParams.isEmpty ? "none is declared" : "declared: \(declaredParams.joined(separator: ", "))"
                    report(.error, "params.\(field.name) is not declared\(Suggestion.didYouMean(field.name, in: declaredParams)); "
                               + "add '-- @param \(field.name) DEFAULT [MIN, MAX]' to the header (\(declared))", at: field.token)
                }
            }
        }
        for entry in header.contextEntries where !contextRead.contains(entry.text) {
            report(.warning, "@context declares '\(entry.text)' but the script never reads bar.\(entry.text)",
                   line: entry.line, column: entry.column)
        }
        if !paramsDynamic {
            for entry in header.paramEntries where !paramsRead.contains(entry.text) {
                report(.info, "@param \(entry.text) is never read (params.\(entry.text))", line: entry.line, column: entry.column)
            }
        }
    }
}

extension ValidationPass {
    /// The lifecycle callbacks, in call order.
    static let lifecycleCallbacks = StrategyStyle.lifecycle.callbacks

    /// Style detection from the top-level definitions (`function NAME(` or `NAME = function`):
    /// `on_bar` makes the on_bar style, any lifecycle callback the lifecycle style (which then
    /// needs all three). Both, or neither, is an error; so is a `local` callback, which the
    /// runtime cannot see.
    mutating func checkStyle() {
        let watched = Set(["on_init"] + StrategyStyle.onBar.callbacks + Self.lifecycleCallbacks)
        var first: [String: LuaFunction] = [:]
        for f in source.functions where f.isTopLevel {
            guard let name = f.name, watched.contains(name) else { continue }
            if f.isLocal {
                report(.error, "'local' hides \(name) from the runtime, which calls global functions; remove 'local'",
                       at: f.keyword - (f.isAssigned ? 3 : 1))
            }
            if let earlier = first[name] {
                report(.warning, "\(name) is defined twice (first on line \(source.tokens[earlier.keyword].line)); the later definition replaces it",
                       at: f.keyword)
            } else {
                first[name] = f
            }
        }
        let onBar = first["on_bar"]
        let lifecycle = Self.lifecycleCallbacks.compactMap { first[$0] }
        if let onBar, let other = lifecycle.first {
            report(.error, "the script defines both on_bar (line \(source.tokens[onBar.keyword].line)) and lifecycle callbacks "
                       + "(\(lifecycle.compactMap(\.name).joined(separator: ", "))); use one style: on_bar(ctx, bar), or "
                       + "detect_opportunity, filter_commitment and manage_position", at: other.keyword)
            return
        }
        if onBar != nil {
            style = .onBar
            return
        }
        if let firstDefined = lifecycle.min(by: { $0.keyword < $1.keyword }) {
            style = .lifecycle
            let missing = Self.lifecycleCallbacks.filter { first[$0] == nil }
            if !missing.isEmpty {
                let list = missing.count == 1 ? missing[0] : missing.dropLast().joined(separator: ", ") + " and " + missing.last!
                report(.error, "lifecycle style needs \(list) as well (define "
                           + missing.map(Self.signature).joined(separator: ", ") + ")", at: firstDefined.keyword)
            }
            return
        }
        var message = "no strategy callback: define on_bar(ctx, bar) (it returns \"buy\", \"sell\", \"revert\", \"close\" or nil), "
            + "or the lifecycle callbacks detect_opportunity(ctx, bar), filter_commitment(ctx, bar, signal) and manage_position(ctx, bar, position)"
        let defined = source.functions.filter(\.isTopLevel).compactMap(\.name)
        for name in defined {
            if let guess = Suggestion.closest(to: name, in: StrategyStyle.onBar.callbacks + Self.lifecycleCallbacks), guess != name {
                message += "; '\(name)' looks like a misspelt \(guess)"
                break
            }
        }
        report(.error, message, line: header.firstCodeLine ?? 1)
    }

    private static func signature(_ name: String) -> String {
        switch name {
        case "detect_opportunity": "detect_opportunity(ctx, bar)"
        case "filter_commitment": "filter_commitment(ctx, bar, signal)"
        default: "manage_position(ctx, bar, position)"
        }
    }
}

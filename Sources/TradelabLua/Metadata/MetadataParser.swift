// Minimal placeholder: reads only `-- @param NAME DEFAULT [MIN, MAX]`. Replaced by the full parser.

/// A run parameter that is unknown or out of its declared range.
public struct ParameterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong, naming the parameter, its value and the allowed range.
    public var description: String
}

extension StrategyMetadata {
    /// Parses the header comments of `text`.
    /// - Returns: The metadata and diagnostics for malformed header lines.
    public static func parse(_ text: String) -> (metadata: StrategyMetadata, diagnostics: [Diagnostic]) {
        var metadata = StrategyMetadata()
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let words = raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "[" || $0 == "]" || $0 == "," })
            guard words.count >= 4, words[0] == "--", words[1] == "@param", let value = Double(words[3]) else { continue }
            let bounds = words.dropFirst(4).prefix(2).compactMap { Double($0) }
            metadata.params.append(ParamSpec(name: String(words[2]), defaultValue: value, minimum: bounds.first,
                                             maximum: bounds.count > 1 ? bounds[1] : nil, line: index + 1))
        }
        return (metadata, [])
    }

    /// The parameter values of a run: declared defaults, then `overrides`, each checked against its range.
    /// - Throws: ``ParameterError`` for an undeclared name or a value outside its range.
    public func resolveParameters(_ overrides: [String: Double]) throws(ParameterError) -> [String: Double] {
        var values: [String: Double] = [:]
        for p in params { values[p.name] = p.defaultValue }
        for (name, value) in overrides {
            guard let spec = params.first(where: { $0.name == name }) else {
                throw ParameterError(description: "unknown parameter '\(name)'; the script declares \(params.isEmpty ? "none" : params.map(\.name).joined(separator: ", "))")
            }
            if let lo = spec.minimum, value < lo { throw ParameterError(description: "parameter '\(name)' = \(value) is below its minimum \(lo)") }
            if let hi = spec.maximum, value > hi { throw ParameterError(description: "parameter '\(name)' = \(value) is above its maximum \(hi)") }
            values[name] = value
        }
        return values
    }
}

import TradelabCore

extension StrategyMetadata {
    /// The parameter values of a run: declared defaults, then `overrides`, each checked against
    /// its declaration.
    ///
    /// ```swift
    /// let values = try metadata.resolveParameters(["fast": 12])   // ["fast": 12, "slow": 26]
    /// ```
    /// - Parameter overrides: Values by parameter name (from `--param fast=12` or the API).
    /// - Returns: A value for every declared parameter.
    /// - Throws: ``ParameterError`` for an undeclared name, a non-finite value, a fraction for an
    ///   integer parameter or a value outside the declared range. Overrides are checked in name
    ///   order, so the same input always reports the same error.
    public func resolveParameters(_ overrides: [String: Double]) throws(ParameterError) -> [String: Double] {
        var values: [String: Double] = [:]
        for p in params where values[p.name] == nil { values[p.name] = p.defaultValue }
        for name in overrides.keys.sorted() {
            guard let spec = params.first(where: { $0.name == name }) else {
                if params.isEmpty {
                    throw ParameterError(description: "unknown parameter '\(name)': the script declares no parameters "
                                             + "(add '-- @param \(name) DEFAULT [MIN, MAX]' to its header)", parameter: name)
                }
                let names = params.map(\.name)
                throw ParameterError(description: "unknown parameter '\(name)'\(Suggestion.didYouMean(name, in: names)); "
                                         + "the script declares: \(names.joined(separator: ", "))", parameter: name)
            }
            let value = overrides[name]!
            try spec.check(value)
            values[name] = value
        }
        return values
    }
}

extension ParamSpec {
    /// "[2, 100]", "[0.5, 4.0]", or "" without a range.
    var rangeText: String {
        guard let minimum, let maximum else { return "" }
        return "[\(format(minimum)), \(format(maximum))]"
    }

    /// A value as this parameter is written: integers without a fraction, decimals with one.
    func format(_ value: Double) -> String {
        if isInteger, value == value.rounded(), value.magnitude < 9e15 { return String(Int64(value)) }
        return String(value)
    }

    /// Checks one value against the declaration.
    /// - Throws: ``ParameterError`` naming the parameter, the value and what is allowed.
    func check(_ value: Double) throws(ParameterError) {
        let shown = formatNumber(value)
        guard value.isFinite else {
            throw ParameterError(description: "parameter '\(name)' = \(shown) is not a finite number", parameter: name)
        }
        if isInteger, value != value.rounded() {
            let range = rangeText.isEmpty ? "" : " in \(rangeText)"
            throw ParameterError(description: "parameter '\(name)' = \(shown) must be a whole number\(range)", parameter: name)
        }
        if let minimum, value < minimum {
            throw ParameterError(description: "parameter '\(name)' = \(shown) is below its minimum \(format(minimum))"
                                     + (maximum == nil ? "" : "; allowed range \(rangeText)"), parameter: name)
        }
        if let maximum, value > maximum {
            throw ParameterError(description: "parameter '\(name)' = \(shown) is above its maximum \(format(maximum))"
                                     + (minimum == nil ? "" : "; allowed range \(rangeText)"), parameter: name)
        }
    }
}

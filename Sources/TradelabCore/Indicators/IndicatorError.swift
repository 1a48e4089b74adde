/// A bad indicator spec: unknown name, bad parameter, unknown source.
///
/// The ``reason`` names the indicator, the parameter and what is allowed, e.g.
/// `invalid indicator spec 'rsi:1': 'rsi' parameter 'period' must be an integer in 2...100000, got 1`.
public struct IndicatorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text (or rendered name and parameters) that was rejected.
    public var spec: String
    /// The indicator concerned, when the name was recognised.
    public var indicator: String?
    /// The parameter concerned, when one is at fault.
    public var parameter: String?
    /// What is wrong and what is allowed.
    public var reason: String

    /// Creates an error.
    public init(spec: String, indicator: String? = nil, parameter: String? = nil, reason: String) {
        self.spec = spec
        self.indicator = indicator
        self.parameter = parameter
        self.reason = reason
    }

    /// "invalid indicator spec 'sma:0': 'sma' parameter 'period' must be an integer in 1...100000, got 0".
    public var description: String { "invalid indicator spec '\(spec)': \(reason)" }
}

/// A run parameter that is unknown, not a whole number where one is required, or outside its
/// declared range.
///
/// ```
/// parameter 'fast' = 1 is outside its range [2, 100]
/// unknown parameter 'fats' (did you mean 'fast'?); the script declares: fast, slow
/// ```
public struct ParameterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong, naming the parameter, its value and the allowed range (or the declared
    /// parameters, for an unknown name).
    public var description: String
    /// The parameter the override named, when known.
    public var parameter: String?

    /// Creates an error.
    public init(description: String, parameter: String? = nil) {
        self.description = description
        self.parameter = parameter
    }
}

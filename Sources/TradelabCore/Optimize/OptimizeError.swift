/// A search that cannot start: a bad parameter range, constraint, objective or size, named with
/// the reason.
public struct OptimizeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, in one sentence.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}

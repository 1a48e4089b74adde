/// A problem with market data, located as precisely as the source allows.
///
/// Errors name the row (0-based position in the series), the source line when the bars came
/// from a file, the field, the offending value and what is allowed, so a user can fix the input
/// without guessing.
public struct MarketDataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 0-based row in the series, when the error concerns one bar.
    public var row: Int?
    /// 1-based line in the source file, when known.
    public var line: Int?
    /// The field (column) at fault, when one is.
    public var field: String?
    /// What is wrong and what is allowed.
    public var reason: String

    /// Creates an error.
    public init(row: Int? = nil, line: Int? = nil, field: String? = nil, reason: String) {
        self.row = row
        self.line = line
        self.field = field
        self.reason = reason
    }

    /// "line 12 (row 10), field 'high': high 9.5 is below low 10".
    public var description: String {
        var location: [String] = []
        if let line { location.append("line \(line)") }
        if let row { location.append(line == nil ? "row \(row)" : "(row \(row))") }
        var text = location.joined(separator: " ")
        if let field { text += text.isEmpty ? "field '\(field)'" : ", field '\(field)'" }
        return text.isEmpty ? reason : "\(text): \(reason)"
    }
}

/// A finding about a strategy script, located like a compiler message.
public struct Diagnostic: Sendable, Codable, Equatable, CustomStringConvertible {
    /// How serious a finding is.
    public enum Severity: String, Sendable, Codable, Comparable {
        case error, warning, info

        /// error < warning < info, so sorting puts errors first.
        public static func < (a: Severity, b: Severity) -> Bool {
            let order: [Severity] = [.error, .warning, .info]
            return order.firstIndex(of: a)! < order.firstIndex(of: b)!
        }
    }

    /// 1-based line.
    public var line: Int
    /// 1-based column (1 when unknown).
    public var column: Int
    /// Error, warning or info.
    public var severity: Severity
    /// What is wrong and, where possible, how to fix it.
    public var message: String

    /// Creates a diagnostic.
    public init(line: Int, column: Int = 1, severity: Severity, message: String) {
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
    }

    /// "12:5: error: ..." (prefix the file name for a compiler-style line).
    public var description: String { "\(line):\(column): \(severity.rawValue): \(message)" }
}

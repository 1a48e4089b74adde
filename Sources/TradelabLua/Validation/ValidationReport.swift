/// What ``StrategyValidator/validate(_:fileName:)`` found in a script.
public struct ValidationReport: Sendable, Codable, Equatable {
    /// The name the script was validated under (used in messages, e.g. `ema.lua`).
    public var fileName: String
    /// Every finding, sorted by line, then column, then severity (errors first).
    public var diagnostics: [Diagnostic]
    /// The detected style; nil when the script does not compile or its style is ambiguous or absent.
    public var style: StrategyStyle?
    /// The header metadata.
    public var metadata: StrategyMetadata
    /// Whether no diagnostic is an error (warnings and infos allowed).
    public var isValid: Bool

    /// Creates a report; ``isValid`` follows from the diagnostics, which are sorted.
    public init(fileName: String, diagnostics: [Diagnostic], style: StrategyStyle?, metadata: StrategyMetadata) {
        self.fileName = fileName
        self.diagnostics = diagnostics.sorted { a, b in
            (a.line, a.column, a.severity, a.message) < (b.line, b.column, b.severity, b.message)
        }
        self.style = style
        self.metadata = metadata
        isValid = !diagnostics.contains { $0.severity == .error }
    }

    /// The errors.
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    /// The warnings.
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
}

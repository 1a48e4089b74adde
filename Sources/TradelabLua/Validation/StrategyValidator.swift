/// Static checks of a strategy script: the header, Lua syntax (compiled, never run), the
/// callback style, `ta.*` calls, field reads, warm-up nil checks and `trade.*` options.
///
/// ```swift
/// let report = StrategyValidator.validate(text, fileName: "ema.lua")
/// for d in report.diagnostics { print("ema.lua:\(d)") }   // ema.lua:12:5: warning: ...
/// ```
///
/// The rules, with examples, are in `docs/strategy-metadata.md`. Checks read tokens, so code in
/// comments and strings never triggers them.
public enum StrategyValidator {
    /// Largest script accepted, in UTF-8 bytes (1 MiB).
    public static let maximumSize = 1 << 20

    /// Validates a script.
    /// - Parameters:
    ///   - text: The script.
    ///   - fileName: The name the report carries.
    /// - Returns: The report; `isValid` is false when any diagnostic is an error. A script that
    ///   does not compile gets the compiler's error and the header's diagnostics only.
    /// - Complexity: O(n) in the script's length plus one compile.
    public static func validate(_ text: String, fileName: String = "strategy.lua") -> ValidationReport {
        let header = HeaderParser.parse(text)
        guard text.utf8.count <= maximumSize else {
            let size = text.utf8.count
            return ValidationReport(fileName: fileName, diagnostics: header.diagnostics + [
                Diagnostic(line: 1, severity: .error,
                           message: "the script is \(size) bytes; the limit is \(maximumSize) bytes (1 MiB)"),
            ], style: nil, metadata: header.metadata)
        }
        let source = LuaSource(text)
        if let syntax = SyntaxCheck.check(text, source: source) {
            return ValidationReport(fileName: fileName, diagnostics: header.diagnostics + [syntax], style: nil,
                                    metadata: header.metadata)
        }
        var pass = ValidationPass(source: source, header: header)
        pass.run()
        return ValidationReport(fileName: fileName, diagnostics: header.diagnostics + pass.diagnostics, style: pass.style,
                                metadata: header.metadata)
    }
}

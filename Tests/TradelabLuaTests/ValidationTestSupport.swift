@testable import TradelabLua

/// Builds small scripts and reads reports for the validator tests.
enum ValidationFixture {
    /// A complete on_bar script: header lines, then `on_init` and `on_bar` with the given bodies.
    static func onBar(header: String = "", initBody: String = "", body: String = "") -> String {
        """
        -- @name Test
        \(header)
        function on_init(ctx)
        \(initBody)
        end

        function on_bar(ctx, bar)
        \(body)
        end

        """
    }

    /// The report for `text`.
    static func validate(_ text: String) -> ValidationReport { StrategyValidator.validate(text, fileName: "test.lua") }

    /// Diagnostics of `severity` whose message contains `fragment`.
    static func matching(_ report: ValidationReport, _ severity: Diagnostic.Severity, _ fragment: String) -> [Diagnostic] {
        report.diagnostics.filter { $0.severity == severity && $0.message.contains(fragment) }
    }

    /// Every diagnostic as "line:col: severity: message", for failure messages.
    static func dump(_ report: ValidationReport) -> String {
        report.diagnostics.map(\.description).joined(separator: "\n")
    }
}

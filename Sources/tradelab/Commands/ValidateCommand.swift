import ArgumentParser
import Foundation
import TradelabLua

/// `tradelab validate FILE...`: static checks of Lua strategies, printed like compiler messages.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check Lua strategy scripts without running them.",
        discussion: """
        Reads the header (@name, @param, ...), compiles the script (never runs it) and checks the \
        callbacks, ta.* calls, bar/ctx/params fields, warm-up nil checks and trade.* options \
        (rules in docs/strategy-metadata.md). A folder stands for the .lua files in it.
        Exits with 1 when any file has an error; warnings and notes do not fail.

        Examples:
          tradelab validate strategies/templates/ema_crossover.lua
          tradelab validate strategies/templates strategies/examples
          tradelab validate --json my_strategy.lua
        """
    )

    @Argument(help: ArgumentHelp("Lua strategy files, or folders of them.", valueName: "file"))
    var files: [String]

    @Flag(name: .long, help: "Print one JSON report per file (an array) instead of messages.")
    var json = false

    @Flag(name: .long, help: "Print errors only (no warnings or notes).")
    var errorsOnly = false

    func run() throws {
        var outcomes: [FileOutcome] = []
        for path in files {
            outcomes += Self.expand(path).map { file in
                switch file {
                case .failure(let failure):
                    return FileOutcome(file: path, error: failure.message, report: nil)
                case .success(let path):
                    do {
                        let data = try Data(contentsOf: URL(fileURLWithPath: path))
                        guard let text = String(data: data, encoding: .utf8) else {
                            return FileOutcome(file: path, error: "not UTF-8 text", report: nil)
                        }
                        let name = URL(fileURLWithPath: path).lastPathComponent
                        return FileOutcome(file: path, error: nil, report: StrategyValidator.validate(text, fileName: name))
                    } catch {
                        return FileOutcome(file: path, error: "cannot read the file (\(Self.reason(error)))", report: nil)
                    }
                }
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(outcomes))
            FileHandle.standardOutput.write(Data("\n".utf8))
        } else {
            for outcome in outcomes { print(text(of: outcome)) }
            if outcomes.count > 1 {
                let failed = outcomes.filter { !$0.isValid }.count
                print("\(outcomes.count) files: \(outcomes.count - failed) ok, \(failed) failed")
            }
        }
        if outcomes.contains(where: { !$0.isValid }) { throw ExitCode(1) }
    }

    /// Diagnostics as `path:line:col: severity: message`, then the summary line.
    private func text(of outcome: FileOutcome) -> String {
        guard let report = outcome.report else {
            return "\(outcome.file): error: \(outcome.error ?? "unreadable")\nfailed: \(outcome.file)"
        }
        var lines = report.diagnostics.filter { !errorsOnly || $0.severity == .error }.map { d in
            "\(outcome.file):\(d.line):\(d.column): \(d.severity.rawValue): \(d.message)"
        }
        let errors = report.errors.count, warnings = report.warnings.count
        var facts: [String] = []
        if report.isValid {
            facts.append(report.style.map { "\($0.rawValue) style" } ?? "no style")
            let params = report.metadata.params.count
            facts.append("\(params) param\(params == 1 ? "" : "s")")
        } else {
            facts.append("\(errors) error\(errors == 1 ? "" : "s")")
        }
        if warnings > 0 { facts.append("\(warnings) warning\(warnings == 1 ? "" : "s")") }
        lines.append("\(report.isValid ? "ok" : "failed"): \(outcome.file) (\(facts.joined(separator: ", ")))")
        return lines.joined(separator: "\n")
    }

    /// A file, or the `.lua` files of a folder in name order; a failure for a missing path or a
    /// folder without scripts.
    private static func expand(_ path: String) -> [Result<String, PathError>] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return [.failure(PathError("no such file"))]
        }
        guard isDirectory.boolValue else { return [.success(path)] }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".lua") }.sorted()
        if names.isEmpty { return [.failure(PathError("a folder with no .lua files"))] }
        return names.map { .success((path as NSString).appendingPathComponent($0)) }
    }

    private static func reason(_ error: any Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}

/// Why a path given to `validate` has no script.
private struct PathError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// One file's result, as printed and as encoded by `--json`.
private struct FileOutcome: Encodable {
    /// The path as given (or as found in a folder).
    var file: String
    /// Why the file could not be validated (missing, unreadable, not UTF-8).
    var error: String?
    /// The validator's report.
    var report: ValidationReport?

    var isValid: Bool { report?.isValid ?? false }
}

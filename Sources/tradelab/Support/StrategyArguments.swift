import ArgumentParser
import TradelabCore
import TradelabRun

/// The `--strategy` and `--param` arguments shared by `backtest` and `optimize`.
enum StrategyArguments {
    /// A built-in name or a `.lua` file.
    /// - Throws: ``CLIError`` for anything else.
    static func reference(_ text: String) throws -> StrategyReference {
        let reference = StrategyReference.named(text) { name in .file(name) }
        if case .file(let path) = reference, !path.hasSuffix(".lua") {
            throw CLIError("invalid strategy '\(path)': expected one of \(NativeStrategy.catalog.map(\.name).joined(separator: ", ")) or a .lua file")
        }
        return reference
    }

    /// "fast=10" pairs into a dictionary, with a clear error for anything else.
    static func parameters(_ texts: [String]) throws -> [String: Double] {
        var result: [String: Double] = [:]
        for text in texts {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let value = Double(parts[1]), value.isFinite else {
                throw ValidationError("--param '\(text)' must be name=number, e.g. --param fast=10")
            }
            result[parts[0]] = value
        }
        return result
    }
}

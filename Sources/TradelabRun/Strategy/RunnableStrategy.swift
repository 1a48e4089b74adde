import Foundation
import TradelabCore
import TradelabLua

/// A strategy ready to run: a built-in (the specialized bar loop) or a sandboxed Lua script.
public enum RunnableStrategy: Sendable {
    /// A built-in strategy.
    case native(NativeStrategy)
    /// A Lua script.
    case lua(LuaStrategy)

    /// Display name with parameters, e.g. "sma-cross(fast=10, slow=20)".
    public var name: String {
        switch self {
        case .native(let s): s.name
        case .lua(let s): s.name
        }
    }

    /// The resolved parameters (declared defaults with the overrides applied).
    public var parameters: [String: Double] {
        switch self {
        case .native(let s): s.parameters
        case .lua(let s): s.parameters
        }
    }
}

extension StrategyReference {
    /// Builds the strategy this reference names: the one place where a reference becomes a
    /// built-in or a Lua strategy.
    /// - Parameters:
    ///   - parameters: Overrides of the declared defaults.
    ///   - limits: The sandbox limits (Lua only).
    ///   - symbol: `ctx.symbol`.
    ///   - timeframe: `ctx.timeframe`.
    /// - Throws: ``RunFailure`` `strategy_error`: an unknown built-in, an unreadable file, a bad
    ///   header, or an undeclared or out-of-range parameter.
    public func build(parameters: [String: Double], limits: RunLimits = RunLimits(), symbol: String = "",
                      timeframe: String = "") throws(RunFailure) -> RunnableStrategy {
        do {
            switch self {
            case .builtin(let name):
                return .native(try NativeStrategy(name: name, parameters: parameters))
            case .file, .lua:
                let (name, code) = try script()
                return .lua(try LuaStrategy(source: code, fileName: name, parameters: parameters,
                                            limits: LuaLimits(memoryBytes: limits.luaMemoryMiB << 20, timeLimit: limits.timeLimit),
                                            symbol: symbol, timeframe: timeframe))
            }
        } catch let failure as RunFailure {
            throw failure
        } catch {
            throw RunFailure(.strategyError, "\(error)")
        }
    }

    /// The script's file name and text (a file is read now); nil for a built-in.
    /// - Throws: ``RunFailure`` `strategy_error` when the file cannot be read.
    public func script() throws(RunFailure) -> (name: String, code: String) {
        switch self {
        case .builtin(let name):
            throw RunFailure(.strategyError, "'\(name)' is a built-in strategy, not a script")
        case .file(let path):
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw RunFailure(.strategyError, "cannot read strategy file \(path)")
            }
            return (URL(fileURLWithPath: path).lastPathComponent, text)
        case .lua(let name, let code):
            return (name, code)
        }
    }

    /// Checks what can be checked without running anything: a built-in exists and takes these
    /// parameters; a script compiles, passes the validator and declares these parameters in range.
    /// - Throws: ``StrategyProblem``.
    public func check(parameters: [String: Double]) throws(StrategyProblem) {
        if case .builtin(let name) = self {
            do { _ = try NativeStrategy(name: name, parameters: parameters) } catch { throw .parameters(error.description) }
            return
        }
        let script: (name: String, code: String)
        do { script = try self.script() } catch { throw .unreadable(error.message) }
        let report = StrategyValidator.validate(script.code, fileName: script.name)
        guard report.isValid else { throw .invalid(report) }
        do { _ = try report.metadata.resolveParameters(parameters) } catch { throw .parameters("\(error)") }
    }
}

/// What ``StrategyReference/check(parameters:)`` found wrong.
public enum StrategyProblem: Error, Sendable, CustomStringConvertible {
    /// The script has errors (the report lists them, with lines).
    case invalid(ValidationReport)
    /// A parameter is unknown, undeclared or out of range.
    case parameters(String)
    /// The script file cannot be read.
    case unreadable(String)

    /// One line: the first error with `file.lua:LINE:`, or the parameter problem.
    public var description: String {
        switch self {
        case .invalid(let report):
            "the strategy has errors: " + (report.errors.first.map { "\(report.fileName):\($0.line): \($0.message)" } ?? report.fileName)
        case .parameters(let message): "params: \(message)"
        case .unreadable(let message): message
        }
    }
}

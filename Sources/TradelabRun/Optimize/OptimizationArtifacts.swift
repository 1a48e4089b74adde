import Foundation
import TradelabCore

/// The files of an optimization: `trials.csv` (one row per trial), `best.json` (the best trial),
/// `summary.json` (the results without the trials) and, for the server, `results.json` (the
/// whole results, as `tradelab optimize --json` prints them).
public enum OptimizationArtifacts {
    /// Writes the files into `directory` (created if needed); `whole` adds `results.json`.
    /// - Throws: the file system's error.
    public static func write(_ results: OptimizationResults, to directory: String, whole: Bool = false) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let url = URL(fileURLWithPath: directory)
        try Data(csv(results).utf8).write(to: url.appendingPathComponent("trials.csv"), options: .atomic)
        try JSONCoding.indented(results.best).write(to: url.appendingPathComponent("best.json"), options: .atomic)
        if whole { try JSONCoding.encode(results).write(to: url.appendingPathComponent(resultsFile), options: .atomic) }
        var summary = results
        summary.trials = []
        try JSONCoding.indented(summary).write(to: url.appendingPathComponent("summary.json"), options: .atomic)
    }

    /// The whole results' file name.
    public static let resultsFile = "results.json"

    /// `trial,<parameters>,objective,final_equity,closed_trades,total_return,max_drawdown,sharpe,rejected`.
    public static func csv(_ results: OptimizationResults) -> String {
        let names = results.trials.first.map { $0.params.keys.sorted() } ?? []
        var lines = [(["trial"] + names + ["objective", "final_equity", "closed_trades", "total_return", "max_drawdown", "sharpe", "rejected"]).joined(separator: ",")]
        let number: (Double?) -> String = { v in v.map { $0.isFinite ? "\($0)" : "" } ?? "" }
        for t in results.trials {
            var cells = [String(t.trial)] + names.map { number(t.params[$0]) }
            cells += [number(t.objective), number(t.finalEquity), t.closedTrades.map(String.init) ?? "",
                      number(t.metrics?.totalReturn), number(t.metrics?.maxDrawdown), number(t.metrics?.sharpeRatio)]
            cells.append(t.rejected.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" } ?? "")
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

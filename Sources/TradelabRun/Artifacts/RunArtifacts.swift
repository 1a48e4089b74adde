import Dispatch
import Foundation
import Synchronization
import TradelabCore
import TradelabData

/// A run's files: `results.json` (what `/results` serves by default: curves thinned to
/// ``defaultMaxPoints`` points, the first ``defaultTradesLimit`` trades), `summary.json` (the
/// headline, indented), and the full-resolution tables `equity.parquet`, `trades.parquet` and
/// `orders.parquet`. The CSV files (`equity.csv`, `trades.csv`, `orders.csv`, and `runs.csv` for
/// randomized runs) are made from them on request (``csv(named:in:)``), or written too with
/// `csv: true`.
///
/// Writing costs little next to the run: the tables are columns copied into uncompressed
/// Parquet, the JSON files are small. Every file is written atomically (temporary name, rename).
public enum RunArtifacts {
    /// The default view's curve points (also `/results`' default `maxPoints`).
    public static let defaultMaxPoints = 5000
    /// The default view's trades (also `/results`' default `tradesLimit`).
    public static let defaultTradesLimit = 1000
    /// `results.json`.
    public static let resultsFile = "results.json"
    /// `summary.json`.
    public static let summaryFile = "summary.json"
    /// The tables, by the CSV each makes.
    static let tables = ["equity.csv": "equity.parquet", "trades.csv": "trades.parquet", "orders.csv": "orders.parquet"]

    /// What ``write(_:outcome:to:csv:)`` wrote.
    public struct Written: Sendable {
        /// The results' headline (the content of `summary.json`).
        public var summary: RunResults
        /// The default view (the content of `results.json`), with ``RunResults/artifacts`` set.
        public var view: RunResults
    }

    /// Writes every file of a run into `directory` (created if needed).
    /// - Parameters:
    ///   - results: The whole results (``RunOutcome/results``, with the session id if any).
    ///   - outcome: The run they came from (its tables are written at full resolution).
    ///   - directory: Where the files go.
    ///   - csv: Also write the CSV files.
    /// - Throws: ``FileWriteError`` or `DataFileError` naming the file that could not be written.
    @discardableResult
    public static func write(_ results: RunResults, outcome: RunOutcome, to directory: String, csv: Bool = false) throws -> Written {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw FileWriteError(path: directory, reason: error.localizedDescription)
        }
        let randomized = results.randomized != nil
        let tableFiles = ["equity.parquet", "trades.parquet", "orders.parquet"]
        let runs = outcome.runs
        var view = results.view(maxPoints: defaultMaxPoints, tradesLimit: defaultTradesLimit)
        view.artifacts = [resultsFile, summaryFile] + tableFiles + tableFiles.map { $0.replacingOccurrences(of: ".parquet", with: ".csv") }
            + (randomized ? ["runs.csv"] : [])
        let summary = view.summary
        let finished = view
        // Each file is built and written on its own thread: the full-resolution tables of a
        // long run are most of the work, and they do not depend on each other.
        let writes: [@Sendable () throws -> Void] = [
            { try writeTable(RunTables.equity(runs, baseline: outcome.baselineRuns, randomized: randomized), "equity.parquet", in: directory, csv: csv) },
            { try writeTable(RunTables.trades(runs), "trades.parquet", in: directory, csv: csv) },
            { try writeTable(RunTables.orders(runs, randomized: randomized), "orders.parquet", in: directory, csv: csv) },
            {
                if csv, randomized { try AtomicFile.write(Data(runsCSV(results).utf8), to: directory + "/runs.csv") }
                try AtomicFile.write(JSONCoding.indented(summary) + Data("\n".utf8), to: directory + "/" + summaryFile)
                try AtomicFile.write(JSONCoding.encode(finished), to: directory + "/" + resultsFile)
            },
        ]
        let failures = Mutex<[(Int, any Error)]>([])
        DispatchQueue.concurrentPerform(iterations: writes.count) { k in
            do { try writes[k]() } catch { failures.withLock { $0.append((k, error)) } }
        }
        if let first = failures.withLock({ $0.min { $0.0 < $1.0 } }) { throw first.1 }
        return Written(summary: summary, view: view)
    }

    /// Writes one table as Parquet (and as CSV when asked).
    private static func writeTable(_ table: ParquetTable, _ name: String, in directory: String, csv: Bool) throws {
        try ParquetWriter(compression: .uncompressed).write(table, to: directory + "/" + name)
        if csv { try AtomicFile.write(Data(TableCSV.render(table)), to: directory + "/" + name.replacingOccurrences(of: ".parquet", with: ".csv")) }
    }

    /// A CSV download made from the run's files: `equity.csv`, `trades.csv`, `orders.csv`, or
    /// `runs.csv` of a randomized run; nil for any other name.
    /// - Throws: ``DataFileError`` or a decoding error when the files are damaged.
    public static func csv(named name: String, in directory: String) throws -> Data? {
        if name == "runs.csv" {
            let results = try loadResults(in: directory)
            return results.randomized == nil ? nil : Data(runsCSV(results).utf8)
        }
        guard let table = tables[name] else { return nil }
        return Data(TableCSV.render(try ParquetTableReader.read(path: directory + "/" + table)))
    }

    /// The default view stored in `results.json`.
    /// - Throws: the file system's or the decoder's error.
    public static func loadResults(in directory: String) throws -> RunResults {
        try JSONCoding.decode(RunResults.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/" + resultsFile)))
    }

    /// The results with every trade and whole curves: `results.json` completed from the tables.
    /// - Throws: ``DataFileError`` or a decoding error when the files are damaged.
    public static func loadComplete(in directory: String) throws -> RunResults {
        var results = try loadResults(in: directory)
        let trades = try ParquetTableReader.read(path: directory + "/trades.parquet")
        results.trades = try RunTables.tradeRows(trades)
        let curves = try RunTables.firstRunCurves(try ParquetTableReader.read(path: directory + "/equity.parquet"))
        results.equity = curves.equity
        if results.baseline?.runId == nil, let baseline = curves.baseline { results.baseline?.equity = baseline }
        return results
    }

    /// The runs table of a randomized run as CSV.
    static func runsCSV(_ results: RunResults) -> String {
        var out = "run,from,to,bars,total_return,max_drawdown,trades\n"
        for r in results.runs ?? [] {
            out += "\(r.run),\(r.from),\(r.to),\(r.bars),\(formatNumber(r.metrics.totalReturn)),\(formatNumber(r.metrics.maxDrawdown)),\(r.metrics.tradeCount)\n"
        }
        return out
    }
}

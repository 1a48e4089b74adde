import Foundation
import TradelabCore

/// Writes a run's artifacts: `summary.json`, `trades.csv`, `equity.csv` and `orders.csv`.
///
/// Files are written to a temporary name and renamed into place, so a crash never leaves a
/// half-written artifact behind.
public enum ArtifactWriter {
    /// The JSON encoder used for every artifact: sorted keys, pretty printed, non-finite numbers as strings.
    public static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    /// Writes the four artifacts of one backtest into `directory` (created if needed).
    /// - Throws: the file system's error, with the path.
    public static func write<M: Encodable & Sendable>(_ result: BacktestResult, summary: RunSummary<M>, to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try atomicWrite(jsonEncoder().encode(summary) + Data("\n".utf8), to: directory + "/summary.json")
        try atomicWrite(Data(tradesCSV(result.trades).utf8), to: directory + "/trades.csv")
        try atomicWrite(Data(equityCSV(result.equity).utf8), to: directory + "/equity.csv")
        try atomicWrite(Data(ordersCSV(result.orders).utf8), to: directory + "/orders.csv")
    }

    /// Writes `data` to `path` through a uniquely named temporary file and a rename, so a reader
    /// (or a crash) never sees a partial file and concurrent writers never share a temporary file.
    public static func atomicWrite(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())-\(UUID().uuidString.prefix(8))"
        do {
            try data.write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ArtifactError(path: path, reason: "\(error.localizedDescription)")
        }
    }

    /// Header of `trades.csv`.
    public static let tradeColumns = "run,side,quantity,entry_time,entry_index,entry_price,exit_time,exit_index,exit_price,pnl,pnl_pct,fees,bars_held,mfe,mae,exit_reason,ambiguous,stop_loss,take_profit"

    /// Trades as CSV, one row each; `runs` tags each trade with its run number (1 for a single run).
    public static func tradesCSV(_ trades: [Trade], runs: [Int]? = nil) -> String {
        var out = tradeColumns + "\n"
        for (k, t) in trades.enumerated() {
            let fields: [String] = [
                String(runs?[k] ?? 1), t.side.rawValue, number(t.quantity), UTCTime.format(t.entryTime), String(t.entryIndex),
                number(t.entryPrice), UTCTime.format(t.exitTime), String(t.exitIndex), number(t.exitPrice), number(t.pnl),
                number(t.pnlPercent), number(t.fees), String(t.barsHeld), number(t.mfe), number(t.mae), t.exitReason.rawValue,
                t.ambiguous ? "true" : "false", t.stopLoss.map(number) ?? "", t.takeProfit.map(number) ?? "",
            ]
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    /// The equity curve as CSV: time, equity, cash, position, drawdown.
    public static func equityCSV(_ curve: EquityCurve) -> String {
        var out = "time,equity,cash,position,drawdown\n"
        out.reserveCapacity(curve.count * 80)
        let drawdown = curve.drawdown
        for i in 0..<curve.count {
            out += UTCTime.format(curve.timestamps[i]) + "," + number(curve.equity[i]) + "," + number(curve.cash[i]) + ","
                + number(curve.position[i]) + "," + number(drawdown[i]) + "\n"
        }
        return out
    }

    /// The order log as CSV.
    public static func ordersCSV(_ orders: [OrderLogEntry]) -> String {
        var out = "signal_index,index,time,action,side,quantity,price,fee,status,note\n"
        for o in orders {
            let note = o.note.contains(",") ? "\"\(o.note.replacingOccurrences(of: "\"", with: "\"\""))\"" : o.note
            out += "\(o.signalIndex),\(o.index),\(UTCTime.format(o.time)),\(o.action),\(o.side),\(number(o.quantity)),"
                + "\(o.price.map(number) ?? ""),\(number(o.fee)),\(o.status.rawValue),\(note)\n"
        }
        return out
    }

    /// Shortest round-trip rendering; integers without ".0"; NaN as an empty cell.
    static func number(_ v: Double) -> String {
        if v.isNaN { return "" }
        return formatNumber(v)
    }
}

/// A failure to write an artifact, naming the file.
public struct ArtifactError: Error, CustomStringConvertible {
    /// The file that could not be written.
    public var path: String
    /// The system's reason.
    public var reason: String
    /// "cannot write runs/x/summary.json: ...".
    public var description: String { "cannot write \(path): \(reason)" }
}

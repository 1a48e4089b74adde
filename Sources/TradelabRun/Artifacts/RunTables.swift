import TradelabCore
import TradelabData

/// A run's full-resolution tables (equity curve, trades, order log) as Parquet columns, and
/// back. Column names are those of the CSV downloads.
enum RunTables {
    /// `[run,] time, equity, cash, position, drawdown[, baseline]`: every bar of every run;
    /// `run` for randomized runs, `baseline` (buy-and-hold equity) when it was asked for.
    static func equity(_ runs: [RandomizedRun], baseline: [RandomizedRun]?, randomized: Bool) throws(DataFileError) -> ParquetTable {
        let curves = runs.map(\.result.equity)
        var columns: [(name: String, column: ParquetTable.Column)] = []
        if randomized { columns.append(("run", .int64(runs.flatMap { run in repeatElement(Int64(run.run), count: run.result.equity.count) }))) }
        columns += [
            ("time", .timestampMillis(joined(curves.map(\.timestamps)))),
            ("equity", .double(joined(curves.map(\.equity)))),
            ("cash", .double(joined(curves.map(\.cash)))),
            ("position", .double(joined(curves.map(\.position)))),
            ("drawdown", .double(joined(curves.map(\.drawdown)))),
        ]
        if let baseline { columns.append(("baseline", .double(joined(baseline.map(\.result.equity.equity))))) }
        return try ParquetTable(columns)
    }

    /// Every trade of every run, in run order.
    static func trades(_ runs: [RandomizedRun]) throws(DataFileError) -> ParquetTable {
        let pairs = runs.flatMap { run in run.result.trades.map { (run: Int64(run.run), trade: $0) } }
        let t = pairs.map(\.trade)
        return try ParquetTable([
            ("run", .int64(pairs.map(\.run))),
            ("side", .string(t.map(\.side.rawValue))),
            ("quantity", .double(t.map(\.quantity))),
            ("entry_time", .timestampMillis(t.map(\.entryTime))),
            ("entry_index", .int64(t.map { Int64($0.entryIndex) })),
            ("entry_price", .double(t.map(\.entryPrice))),
            ("exit_time", .timestampMillis(t.map(\.exitTime))),
            ("exit_index", .int64(t.map { Int64($0.exitIndex) })),
            ("exit_price", .double(t.map(\.exitPrice))),
            ("pnl", .double(t.map(\.pnl))),
            ("pnl_pct", .double(t.map(\.pnlPercent))),
            ("fees", .double(t.map(\.fees))),
            ("bars_held", .int64(t.map { Int64($0.barsHeld) })),
            ("mfe", .double(t.map(\.mfe))),
            ("mae", .double(t.map(\.mae))),
            ("exit_reason", .string(t.map(\.exitReason.rawValue))),
            ("ambiguous", .bool(t.map(\.ambiguous))),
            ("stop_loss", .double(t.map { $0.stopLoss ?? .nan })),
            ("take_profit", .double(t.map { $0.takeProfit ?? .nan })),
        ])
    }

    /// Every order of every run; `run` first for randomized runs.
    static func orders(_ runs: [RandomizedRun], randomized: Bool) throws(DataFileError) -> ParquetTable {
        let pairs = runs.flatMap { run in run.result.orders.map { (run: Int64(run.run), order: $0) } }
        let o = pairs.map(\.order)
        var columns: [(name: String, column: ParquetTable.Column)] = randomized ? [("run", .int64(pairs.map(\.run)))] : []
        columns += [
            ("signal_index", .int64(o.map { Int64($0.signalIndex) })),
            ("index", .int64(o.map { Int64($0.index) })),
            ("time", .timestampMillis(o.map(\.time))),
            ("action", .string(o.map(\.action))),
            ("side", .string(o.map(\.side))),
            ("quantity", .double(o.map(\.quantity))),
            ("price", .double(o.map { $0.price ?? .nan })),
            ("fee", .double(o.map(\.fee))),
            ("status", .string(o.map(\.status.rawValue))),
            ("note", .string(o.map(\.note))),
        ]
        return try ParquetTable(columns)
    }

    /// The trade rows of a trades table.
    /// - Throws: ``RunTablesError`` when a column is missing or has another type.
    static func tradeRows(_ table: ParquetTable) throws(RunTablesError) -> [TradeRow] {
        let columns = try TableColumns(table)
        let run = try columns.int("run"), side = try columns.strings("side"), quantity = try columns.doubles("quantity")
        let entryTime = try columns.times("entry_time"), entryIndex = try columns.int("entry_index"), entryPrice = try columns.doubles("entry_price")
        let exitTime = try columns.times("exit_time"), exitIndex = try columns.int("exit_index"), exitPrice = try columns.doubles("exit_price")
        let pnl = try columns.doubles("pnl"), pnlPercent = try columns.doubles("pnl_pct"), fees = try columns.doubles("fees")
        let barsHeld = try columns.int("bars_held"), mfe = try columns.doubles("mfe"), mae = try columns.doubles("mae")
        let reason = try columns.strings("exit_reason"), ambiguous = try columns.bools("ambiguous")
        let stopLoss = try columns.doubles("stop_loss"), takeProfit = try columns.doubles("take_profit")
        return try (0..<table.rowCount).map { k throws(RunTablesError) in
            guard let s = Side(rawValue: side[k]), let r = ExitReason(rawValue: reason[k]) else {
                throw RunTablesError("row \(k + 1): unknown side '\(side[k])' or exit reason '\(reason[k])'")
            }
            let trade = Trade(side: s, quantity: quantity[k], entryIndex: Int(entryIndex[k]), entryTime: entryTime[k], entryPrice: entryPrice[k],
                              exitIndex: Int(exitIndex[k]), exitTime: exitTime[k], exitPrice: exitPrice[k], pnl: pnl[k], pnlPercent: pnlPercent[k],
                              fees: fees[k], barsHeld: Int(barsHeld[k]), mfe: mfe[k], mae: mae[k], exitReason: r, ambiguous: ambiguous[k],
                              stopLoss: stopLoss[k].isNaN ? nil : stopLoss[k], takeProfit: takeProfit[k].isNaN ? nil : takeProfit[k])
            return TradeRow(trade, run: Int(run[k]))
        }
    }

    /// The first run's curve of an equity table, and its baseline column's curve when present.
    /// - Throws: ``RunTablesError`` when a column is missing or has another type.
    static func firstRunCurves(_ table: ParquetTable) throws(RunTablesError) -> (equity: Curve, baseline: Curve?) {
        let columns = try TableColumns(table)
        var rows = table.rowCount
        if table["run"] != nil {
            let run = try columns.int("run")
            rows = run.firstIndex { $0 != run.first } ?? run.count
        }
        let time = try columns.times("time").prefix(rows).map { $0 / 1000 }
        let equity = Curve(time: time, equity: Array(try columns.doubles("equity").prefix(rows)), drawdown: Array(try columns.doubles("drawdown").prefix(rows)))
        let baseline = table["baseline"] == nil ? nil : Curve(time: time, equity: Array(try columns.doubles("baseline").prefix(rows)), drawdown: nil)
        return (equity, baseline)
    }

    private static func joined<T>(_ parts: [[T]]) -> [T] {
        guard parts.count > 1 else { return parts.first ?? [] }
        var out: [T] = []
        out.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { out += part }
        return out
    }
}

/// A table that is not what ``RunTables`` wrote.
struct RunTablesError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Typed access to a table's columns by name.
private struct TableColumns {
    let table: ParquetTable

    init(_ table: ParquetTable) throws(RunTablesError) { self.table = table }

    private func column(_ name: String) throws(RunTablesError) -> ParquetTable.Column {
        guard let column = table[name] else { throw RunTablesError("no column '\(name)'") }
        return column
    }

    func int(_ name: String) throws(RunTablesError) -> [Int64] {
        if case .int64(let v) = try column(name) { return v }
        throw RunTablesError("column '\(name)' is not INT64")
    }

    func times(_ name: String) throws(RunTablesError) -> [Int64] {
        switch try column(name) {
        case .timestampMillis(let v), .int64(let v): return v
        default: throw RunTablesError("column '\(name)' is not a timestamp")
        }
    }

    func doubles(_ name: String) throws(RunTablesError) -> [Double] {
        if case .double(let v) = try column(name) { return v }
        throw RunTablesError("column '\(name)' is not DOUBLE")
    }

    func strings(_ name: String) throws(RunTablesError) -> [String] {
        if case .string(let v) = try column(name) { return v }
        throw RunTablesError("column '\(name)' is not a string")
    }

    func bools(_ name: String) throws(RunTablesError) -> [Bool] {
        if case .bool(let v) = try column(name) { return v }
        throw RunTablesError("column '\(name)' is not BOOLEAN")
    }
}

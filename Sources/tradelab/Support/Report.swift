import Foundation
import TradelabCore

/// Renders backtest results as readable text for the terminal.
enum Report {
    /// A table with a header row, columns padded; numeric-looking cells right-aligned.
    static func table(_ header: [String], _ rows: [[String]], indent: String = "  ") -> String {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
        func numeric(_ s: String) -> Bool { s.first.map { "+-0123456789.".contains($0) } ?? false }
        func render(_ row: [String]) -> String {
            indent + row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return numeric(cell) && c > 0 ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        let rule = indent + widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        return ([render(header), rule] + rows.map(render)).joined(separator: "\n")
    }

    /// A one-line chart of `values` with block characters, `width` columns wide.
    static func sparkline(_ values: [Double], width: Int = 64) -> String {
        guard values.count > 1 else { return "" }
        let blocks = Array("▁▂▃▄▅▆▇█")
        let step = Double(values.count) / Double(min(width, values.count))
        let samples = (0..<min(width, values.count)).map { k in values[min(values.count - 1, Int(Double(k) * step + step / 2))] }
        guard let lo = samples.min(), let hi = samples.max(), hi > lo else { return String(repeating: "▄", count: samples.count) }
        return String(samples.map { blocks[min(7, Int(($0 - lo) / (hi - lo) * 8))] })
    }

    /// The header lines describing what ran on what.
    static func header(strategy: String, source: String, timeframe: Timeframe?, bars: BarSeries, config: AccountConfig) -> String {
        let first = bars.timestamps.first.map(UTCTime.short) ?? "-"
        let last = bars.timestamps.last.map(UTCTime.short) ?? "-"
        var account = ["cash \(money(config.initialCash))"]
        if config.commissionRate > 0 { account.append("commission \(percent(config.commissionRate, digits: 3))") }
        if config.commissionFixed > 0 { account.append("fee \(money(config.commissionFixed))/fill") }
        if config.slippageBps > 0 { account.append("slippage \(formatNumber(config.slippageBps)) bps") }
        account.append("size \(config.sizing)")
        account.append(config.fractional ? "fractional" : "whole units")
        account.append(config.allowShort ? "long/short" : "long-only")
        if config.maxOpenTrades > 1 { account.append("max \(config.maxOpenTrades) open trades") }
        account.append(config.fillMode == .close ? "FILL AT CLOSE (decisions fill at the bar they saw)" : "next-open fills")
        if config.convention == .backtestingPy { account.append("backtesting.py conventions") }
        return """
        \(bold(strategy)) on \(source)\(timeframe.map { " · \($0)" } ?? "") · \(grouped(bars.count)) bars · \(first) → \(last)
          \(account.joined(separator: " · "))
        """
    }

    /// Stats, equity sparkline and the last trades of one backtest.
    static func single(_ result: BacktestResult, metrics: PerformanceMetrics, lastTrades: Int) -> String {
        var out: [String] = []
        out.append("")
        out.append("  equity   \(sparkline(result.equity.equity))  \(money(result.finalEquity))")
        out.append("  drawdown \(sparkline(result.equity.drawdown))")
        out.append("")
        out.append(table(["Metric", "Value"], metrics.table().map { [$0.label, $0.value] }))
        let rejected = result.orders.filter { $0.status == .rejected }
        if !rejected.isEmpty {
            out.append("")
            out.append("  \(rejected.count) order(s) rejected, first: \(UTCTime.short(rejected[0].time)) \(rejected[0].action): \(rejected[0].note)")
        }
        out.append("")
        out.append(trades(result.trades, last: lastTrades))
        return out.joined(separator: "\n")
    }

    /// The last `last` trades as a table.
    static func trades(_ trades: [Trade], last: Int, runs: [Int]? = nil) -> String {
        guard !trades.isEmpty else { return "  No trades: the strategy never entered a position on this data." }
        let shown = Array(trades.enumerated().suffix(max(0, last)))
        let rows = shown.map { k, t -> [String] in
            var row = ["\(k + 1)"]
            if let runs { row.append("\(runs[k])") }
            row += [t.side.rawValue, formatQuantity(t.quantity), UTCTime.short(t.entryTime), price(t.entryPrice),
                    t.isOpen ? "(open)" : UTCTime.short(t.exitTime), price(t.exitPrice), signedMoney(t.pnl),
                    signedPercent(t.pnlPercent), "\(t.barsHeld)", t.exitReason.rawValue + (t.ambiguous ? "*" : "")]
            return row
        }
        var header = ["#"]
        if runs != nil { header.append("run") }
        header += ["side", "qty", "entry", "price", "exit", "price", "pnl", "pnl%", "bars", "exit reason"]
        let title = "  Last \(shown.count) of \(trades.count) trades" + (trades.contains(where: \.ambiguous) ? " (* ambiguous bar: stop-loss assumed first)" : "")
        return title + "\n" + table(header, rows)
    }

    /// The runs table and aggregates of a randomized test.
    static func randomized(_ report: RandomizedReport, lastTrades: Int) -> String {
        var out = [""]
        let rows = report.runs.map { r -> [String] in
            let m = r.result.metrics()
            return ["\(r.run)", UTCTime.short(r.result.equity.timestamps.first ?? 0), UTCTime.short(r.result.equity.timestamps.last ?? 0),
                    "\(r.range.count)", signedPercent(r.totalReturn), signedPercent(r.maxDrawdown), "\(m.tradeCount)",
                    m.winRate.map { percent($0) } ?? "-", m.sharpeRatio.map { String(format: "%.2f", $0) } ?? "-"]
        }
        out.append(table(["run", "start", "end", "bars", "return", "max dd", "trades", "win rate", "sharpe"], rows))
        out.append("")
        let best = report.best.map { "run \($0.run) \(signedPercent($0.totalReturn))" } ?? "-"
        let worst = report.worst.map { "run \($0.run) \(signedPercent($0.totalReturn))" } ?? "-"
        let sd = report.returnStandardDeviation
        out.append(table(["Across \(report.runs.count) runs of \(report.duration) (seed \(report.seed))", "Value"], [
            ["Mean return", signedPercent(report.meanReturn)],
            ["Median return", signedPercent(report.medianReturn)],
            ["Std. dev. of return", sd.isNaN ? "-" : percent(sd)],
            ["Profitable runs", percent(report.profitableShare)],
            ["Best run", best],
            ["Worst run", worst],
        ]))
        out.append("")
        out.append("  returns  \(sparkline(report.runs.map(\.totalReturn).sorted(), width: 48))  (sorted)")
        out.append("")
        let combined = report.combinedTrades
        out.append(trades(combined.map(\.trade), last: lastTrades, runs: combined.map(\.run)))
        return out.joined(separator: "\n")
    }

    static func money(_ v: Double) -> String { grouped(v, digits: 2) }
    static func signedMoney(_ v: Double) -> String { (v >= 0 ? "+" : "") + grouped(v, digits: 2) }
    static func percent(_ v: Double, digits: Int = 2) -> String { String(format: "%.\(digits)f%%", v * 100) }
    static func signedPercent(_ v: Double) -> String { String(format: "%+.2f%%", v * 100) }
    static func price(_ v: Double) -> String {
        let magnitude = abs(v)
        let digits = magnitude >= 1000 ? 2 : magnitude >= 1 ? 4 : 8
        return String(format: "%.\(digits)f", v)
    }
    static func formatQuantity(_ q: Double) -> String { q == q.rounded() ? formatNumber(q) : String(format: "%.6g", q) }

    /// 1234567.891 -> "1,234,567.89" (the metrics table's formatter).
    static func grouped(_ v: Double, digits: Int = 0) -> String { MetricsFormat.fixed(v, decimals: digits, grouping: true) }
    static func grouped(_ n: Int) -> String { grouped(Double(n)) }

    static func bold(_ s: String) -> String { isatty(STDOUT_FILENO) == 1 ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

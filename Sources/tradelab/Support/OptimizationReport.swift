import Foundation
import TradelabCore
import TradelabRun

/// The text report of `tradelab optimize`: the search, the top trials, a heatmap for two
/// parameters, and how many trials the best was chosen from.
enum OptimizationReport {
    static func text(_ r: OptimizationResults, space: ParameterSpace, top: Int) -> String {
        var out: [String] = []
        out.append("  \(r.strategy) on \(r.data.source)\(r.data.timeframe.map { " \($0)" } ?? "") · \(r.data.bars) bars")
        var search = "  \(r.method) search · objective \(r.objective) · \(r.guards.trials) trials of \(r.guards.combinations) combinations"
        if let g = r.generations?.last { search += " · \(g.generation) generation(s)\(r.stoppedEarly == true ? ", stopped early (no better best)" : "")" }
        if r.cancelled { search += " · stopped" }
        out.append(search)
        let names = space.ranges.map(\.name)
        let ranked = r.ranked
        if ranked.isEmpty {
            let reason = r.trials.first { $0.rejected != nil }?.rejected
            out.append("\n  No trial has a value of \(r.objective)" + (reason.map { " (a rejected one: \($0))" } ?? " (did any trade?)") + ".")
        } else {
            out.append("\n  Top \(min(top, ranked.count)) of \(ranked.count) trials that count")
            let heads = ["#"] + names + [r.objective, "return", "max DD", "sharpe", "trades", "final equity"]
            var rows: [[String]] = []
            for (k, t) in ranked.prefix(top).enumerated() {
                let m = t.metrics
                rows.append([String(k + 1)] + names.map { formatNumber(t.params[$0] ?? .nan) }
                            + [String(format: "%.4f", t.objective ?? .nan), percent(m?.totalReturn), percent(m?.maxDrawdown),
                               m?.sharpeRatio.map { String(format: "%.2f", $0) } ?? "n/a", String(t.closedTrades ?? 0),
                               String(format: "%.2f", t.finalEquity ?? .nan)])
            }
            out.append(table(heads, rows))
        }
        if space.ranges.count == 2 { out.append(heatmap(r, space: space)) }
        let rejected = r.guards.rejected > 0 ? " (\(r.guards.rejected) rejected: failed or filtered out)" : ""
        out.append("\n  Selection: the best of \(r.guards.trials) trials\(rejected). The more trials, the more of the best result can be luck; check it out of sample.")
        if let d = r.guards.deflatedSharpe {
            let verdict = d.probability >= 0.95 ? "unlikely to be luck" : d.probability >= 0.5 ? "could well be luck" : "likely luck"
            out.append(String(format: "  Deflated Sharpe of the best: %.2f (", d.probability) + verdict
                       + String(format: "): its Sharpe %.4f a bar against %.4f, the best of %d trials without skill would show.",
                                d.best, d.expectedMaximum, d.trials))
        }
        if let o = r.guards.overfitting {
            let verdict = o.probability < 0.1 ? "picking the best carried over" : o.probability < 0.5 ? "picking the best only partly carried over" : "picking the best was noise"
            out.append(String(format: "  Probability of backtest overfitting: %.2f (", o.probability) + verdict
                       + "): in \(o.combinations) splits of \(o.blocks) blocks, the in-sample best fell to the out-of-sample median or below that often.")
        }
        if let st = r.guards.stability, let mean = st.mean, let fall = st.fall {
            out.append(String(format: "  Stability: the best's %d neighbours (one step away) average %.4g against its %.4g (%@%.0f%%), the worst %.4g.",
                              st.neighbours, mean, st.best, fall >= 0 ? "-" : "+", abs(fall) * 100, st.worst ?? .nan))
        }
        if let w = r.walkForward { out.append(walkForward(w, names: names, objective: r.objective)) }
        if let mc = r.monteCarlo { out.append(monteCarlo(mc)) }
        out.append(String(format: "  Time: load %.1f ms · trials %.1f ms (%.3f ms a trial) · total %.1f ms",
                          r.timings.loadMs, r.timings.engineMs, r.timings.engineMs / Double(max(1, r.guards.trials)), r.timings.totalMs))
        return out.joined(separator: "\n")
    }

    /// The folds as a table, the efficiency and the stitched out-of-sample figures, in words.
    private static func walkForward(_ w: WalkForwardResult, names: [String], objective: String) -> String {
        var out = ["\n  Walk-forward: \(w.options.folds) fold(s), \(formatNumber(w.options.inSample * 100))% in sample, "
                   + (w.options.anchored ? "anchored" : "rolling")]
        let heads = ["fold", "in sample", "out of sample"] + names + ["IS " + objective, "OOS " + objective, "IS return", "OOS return", "OOS trades"]
        let rows = w.windows.map { f -> [String] in
            let span = { (s: WalkForwardResult.Span) -> String in UTCTime.format(s.start) + "…" + UTCTime.format(s.end) }
            let params: [String] = names.map { n in f.params?[n].map(formatNumber) ?? "-" }
            let objectives: [String] = [f.inSampleObjective, f.outOfSampleObjective].map { $0.map { String(format: "%.4f", $0) } ?? "n/a" }
            let returns: [String] = [percent(f.inSampleMetrics?.totalReturn), percent(f.outOfSampleMetrics?.totalReturn)]
            let trades: String = f.outOfSampleMetrics.map { String($0.tradeCount) } ?? "-"
            return [String(f.fold), span(f.inSample), span(f.outOfSample)] + params + objectives + returns + [trades]
        }
        out.append(table(heads, rows))
        for f in w.windows { if let note = f.note { out.append("  fold \(f.fold): \(note)") } }
        if let m = w.outOfSample {
            out.append("  Stitched out of sample: return \(percent(m.totalReturn)) · max drawdown \(percent(m.maxDrawdown)) · sharpe "
                       + (m.sharpeRatio.map { String(format: "%.2f", $0) } ?? "n/a") + " · \(m.tradeCount) trades")
        }
        if let e = w.efficiency {
            let verdict = e >= 0.5 ? "the in-sample edge mostly carried over" : e > 0 ? "much of the in-sample edge did not carry over" : "the in-sample edge did not carry over"
            out.append(String(format: "  Walk-forward efficiency: %.2f (", e) + verdict + "; out-of-sample over in-sample annualized return).")
        } else {
            out.append("  Walk-forward efficiency: n/a (the in-sample bests did not make money on average).")
        }
        return out.joined(separator: "\n")
    }

    /// The percentiles of both resamplings and the chance of a loss.
    private static func monteCarlo(_ mc: MonteCarlo.Result) -> String {
        var out = ["\n  Monte Carlo on the best trial's \(mc.trades) trades, \(mc.simulations) paths each (seed \(mc.seed))"]
        let heads = ["", "5%", "25%", "median", "75%", "95%", "P(loss)"]
        func row(_ name: String, _ p: MonteCarlo.Percentiles, _ format: (Double) -> String, loss: Double?) -> [String] {
            [name, format(p.p5), format(p.p25), format(p.p50), format(p.p75), format(p.p95), loss.map { String(format: "%.1f%%", $0 * 100) } ?? ""]
        }
        let money = { (v: Double) in String(format: "%.2f", v) }, depth = { (v: Double) in percent(v) }
        out.append(table(heads, [
            row("final equity, shuffled", mc.shuffle.finalEquity, money, loss: mc.shuffle.probabilityOfLoss),
            row("final equity, bootstrap", mc.bootstrap.finalEquity, money, loss: mc.bootstrap.probabilityOfLoss),
            row("max drawdown, shuffled", mc.shuffle.maxDrawdown, depth, loss: nil),
            row("max drawdown, bootstrap", mc.bootstrap.maxDrawdown, depth, loss: nil),
        ]))
        out.append("  As traded: final equity \(money(mc.actual.finalEquity)), max drawdown \(percent(mc.actual.maxDrawdown)) (trade to trade).")
        return out.joined(separator: "\n")
    }

    private static func percent(_ v: Double?) -> String { v.map { String(format: "%.2f%%", $0 * 100) } ?? "n/a" }

    private static func table(_ heads: [String], _ rows: [[String]]) -> String {
        let widths = heads.indices.map { c in ([heads[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0 }
        let line = { (cells: [String]) in "  " + cells.enumerated().map { c, s in String(repeating: " ", count: widths[c] - s.count) + s }.joined(separator: "  ") }
        return ([line(heads)] + rows.map(line)).joined(separator: "\n")
    }

    /// The objective over the two parameters: rows the first, columns the second; darker is better.
    private static func heatmap(_ r: OptimizationResults, space: ParameterSpace) -> String {
        let (a, b) = (space.ranges[0], space.ranges[1])
        var cell: [[Double?]] = Array(repeating: Array(repeating: nil, count: b.values.count), count: a.values.count)
        let ia = Dictionary(a.values.enumerated().map { ($1, $0) }, uniquingKeysWith: { x, _ in x })
        let ib = Dictionary(b.values.enumerated().map { ($1, $0) }, uniquingKeysWith: { x, _ in x })
        for t in r.trials {
            guard let x = t.params[a.name].flatMap({ ia[$0] }), let y = t.params[b.name].flatMap({ ib[$0] }) else { continue }
            cell[x][y] = t.objective
        }
        let values = cell.flatMap { $0 }.compactMap { $0 }
        guard let lo = values.min(), let hi = values.max(), b.values.count <= 60 else { return "" }
        let shades = Array(" .:-=+*#%@")
        let label = a.values.map(formatNumber).map(\.count).max() ?? 1
        var lines = ["\n  \(r.objective) by \(a.name) (rows) and \(b.name) (columns): ' ' lowest ... '@' highest, '?' not run or not counted"]
        // Columns as wide as their labels (and a space), unless that passes about 120 characters:
        // then the labels are cut (the last line lists them whole).
        let widest = b.values.map(formatNumber).map(\.count).max() ?? 1
        let width = min(widest + 1, max(2, 120 / b.values.count))
        let header = String(repeating: " ", count: label + 3)
            + b.values.map { v in String(formatNumber(v).prefix(width - 1)).padding(toLength: width, withPad: " ", startingAt: 0) }.joined()
        lines.append(header)
        for (x, v) in a.values.enumerated() {
            let name = formatNumber(v)
            let row = cell[x].map { c -> String in
                guard let c else { return "?" + String(repeating: " ", count: width - 1) }
                let k = hi > lo ? Int(((c - lo) / (hi - lo) * Double(shades.count - 1)).rounded()) : shades.count - 1
                return String(repeating: String(shades[k]), count: width)
            }.joined()
            lines.append("  " + String(repeating: " ", count: label - name.count) + name + " " + row)
        }
        lines.append("  \(b.name): \(b.values.map(formatNumber).joined(separator: " "))")
        return lines.joined(separator: "\n")
    }
}

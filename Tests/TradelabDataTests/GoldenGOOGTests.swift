import Foundation
import Testing
import TradelabCore
@testable import TradelabData

// Temporary: parse GOOG.csv by hand until CSVLoader lands.
func loadGOOG(_ path: String) throws -> BarSeries {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var ts: [Int64] = [], o: [Double] = [], h: [Double] = [], l: [Double] = [], c: [Double] = [], v: [Double] = []
    for line in text.split(separator: "\n").dropFirst() {
        let f = line.split(separator: ",", omittingEmptySubsequences: false)
        let d = f[0].split(separator: "-").map { Int($0)! }
        var y = d[0]; let m = d[1]; let day = d[2]
        y -= m <= 2 ? 1 : 0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        ts.append(Int64(era * 146097 + doe - 719468) * 86_400_000)
        o.append(Double(f[1])!); h.append(Double(f[2])!); l.append(Double(f[3])!); c.append(Double(f[4])!); v.append(Double(f[5])!)
    }
    return try BarSeries(timestamps: ts, open: o, high: h, low: l, close: c, volume: v)
}

@Suite struct GoldenGOOGTests {
    @Test func smaCrossMatchesBacktestingPy() throws {
        let bars = try loadGOOG(ProcessInfo.processInfo.environment["GOOG_CSV"] ?? "/tmp/probe-venv/lib/python3.11/site-packages/backtesting/test/GOOG.csv")
        let result = try Backtester(config: .backtestingPy(cash: 10_000, commission: 0.002)).run(SmaCross(fast: 10, slow: 20), on: bars)
        print(result.closedTrades.count, result.openTrades.count, result.finalEquity)
        for t in result.trades.prefix(5) { print(t.side, t.quantity, t.entryIndex, t.exitIndex, t.entryPrice, t.exitPrice, t.pnl) }
        for t in result.trades.suffix(3) { print(t.side, t.quantity, t.entryIndex, t.exitIndex, t.entryPrice, t.exitPrice, t.pnl) }
        #expect(result.closedTrades.count == 93)
        #expect(abs(result.finalEquity - 56263.51934) < 0.005)
    }
}

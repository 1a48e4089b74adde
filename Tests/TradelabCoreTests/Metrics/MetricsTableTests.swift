import Foundation
import Testing
@testable import TradelabCore

@Suite struct MetricsTableTests {
    typealias F = MetricsFixture

    func value(_ rows: [(label: String, value: String)], _ label: String) -> String? {
        rows.first { $0.label == label }?.value
    }

    @Test func rendersPercentagesRatiosAndDurations() {
        let trades = [F.trade(pnl: 1_234.5, return: 0.1234, fees: 1), F.trade(pnl: 10, return: 0.001)]
        let r = F.result(equity: [10_000, 12_000, 9_000, 12_100], step: F.day + 4 * F.hour, trades: trades)
        let rows = PerformanceMetrics.compute(r).table()
        #expect(value(rows, "Total return") == "21.00%")
        #expect(value(rows, "Max. drawdown") == "-25.00%")
        #expect(value(rows, "Max. drawdown duration") == "2d 8h (2 bars)")
        #expect(value(rows, "Final equity") == "12,100.00")
        #expect(value(rows, "Profit factor") == "inf")
        #expect(value(rows, "Avg. loss") == "n/a")
        #expect(value(rows, "Avg. win") == "622.25 (6.22%)")
        #expect(value(rows, "Start") == "2024-01-01 00:00 UTC")
        #expect(value(rows, "Trades (closed)") == "2")
        #expect(Set(rows.map(\.label)).count == rows.count, "labels are unique")
    }

    @Test func monthlyTableHasYearRowsAndCompoundedTotal() {
        let ts = [F.jan1st2024, F.jan1st2024 + 40 * F.day, F.jan1st2024 + 370 * F.day]
        let grid = PerformanceMetrics.compute(F.result(equity: [110, 121, 133.1], timestamps: ts, initialCash: 100))
            .monthlyReturnsTable()
        #expect(grid.count == 3)
        #expect(grid[0].first == "Year" && grid[0].count == 14)
        #expect(grid[1] == ["2024", "10.00%", "10.00%", "", "", "", "", "", "", "", "", "", "", "21.00%"])
        #expect(grid[2][0] == "2025" && grid[2][1] == "10.00%" && grid[2][13] == "10.00%")
    }

    static let fixedCases: [(Double, Int, Bool, String)] = [
        (0.0, 2, false, "0.00"), (-0.004, 2, false, "0.00"), (-0.005, 2, false, "-0.01"), (1.005, 2, false, "1.00"),
        (1_234_567.891, 2, true, "1,234,567.89"), (-999.999, 2, true, "-1,000.00"), (12.5, 0, false, "13"),
        (Double.infinity, 2, false, "inf"), (-Double.infinity, 2, false, "-inf"), (Double.nan, 2, false, "nan"),
    ]

    @Test(arguments: fixedCases)
    func fixedDecimalFormatting(value: Double, decimals: Int, grouping: Bool, text: String) {
        #expect(MetricsFormat.fixed(value, decimals: decimals, grouping: grouping) == text)
    }

    static let durationCases: [(Int64, String)] = [
        (0, "0s"), (500, "500ms"), (1_500, "1s 500ms"), (90_000, "1m 30s"), (3_600_000, "1h"),
        (3 * 86_400_000 + 4 * 3_600_000 + 59 * 60_000, "3d 4h"), (86_400_000 + 60_000, "1d"), (-7_200_000, "-2h"),
    ]

    @Test(arguments: durationCases)
    func durationFormatting(milliseconds: Int64, text: String) {
        #expect(MetricsFormat.duration(milliseconds: milliseconds) == text)
    }

    @Test func codableWritesInfinityAsStringAndRoundTrips() throws {
        let m = PerformanceMetrics.compute(F.result(equity: [100, 90, 120], trades: [F.trade(pnl: 5, fees: 0.5)]))
        #expect(m.profitFactor == .infinity)
        let data = try JSONEncoder().encode(m)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"profitFactor\":\"Infinity\""))
        #expect(text.contains("\"sqn\":null"))
        #expect(try JSONDecoder().decode(PerformanceMetrics.self, from: data) == m)
    }
}

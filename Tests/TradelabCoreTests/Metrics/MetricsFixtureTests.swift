import Foundation
import Testing
@testable import TradelabCore

/// Golden-master check against `scripts/gen_metrics_fixtures.py`, an independent numpy/pandas
/// implementation: every metric of every fixture must agree to 1e-9 relative.
@Suite struct MetricsFixtureTests {
    struct Fixture: Decodable {
        struct Input: Decodable {
            var initialCash: Double
            var riskFreeRate: Double
            var periodsPerYear: Double?
            var timestamps: [Int64]
            var equity: [Double]
            var position: [Double]
            var closes: [Double]
            var firstTradableIndex: Int
            var trades: [Trade]
        }
        var name: String
        var description: String
        var input: Input

        var result: BacktestResult {
            var config = AccountConfig()
            config.initialCash = input.initialCash
            let curve = EquityCurve(timestamps: input.timestamps, equity: input.equity,
                                    cash: input.equity, position: input.position)
            return BacktestResult(strategy: name, config: config, trades: input.trades, equity: curve,
                                  orders: [], closes: input.closes, firstTradableIndex: input.firstTradableIndex)
        }
        var options: MetricsOptions {
            MetricsOptions(riskFreeRate: input.riskFreeRate, periodsPerYear: input.periodsPerYear)
        }
    }

    static var directory: URL { Bundle.module.resourceURL!.appendingPathComponent("Fixtures/metrics") }

    static var fixtureNames: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    @Test func fixturesArePresent() {
        #expect(Self.fixtureNames.count >= 10, "run scripts/gen_metrics_fixtures.py")
    }

    @Test(arguments: fixtureNames)
    func everyMetricMatchesReference(name: String) throws {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent(name + ".json"))
        let fixture = try JSONDecoder().decode(Fixture.self, from: data)
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let expected = try #require(root["expected"] as? [String: Any])

        let metrics = PerformanceMetrics.compute(fixture.result, options: fixture.options)
        let encoded = try JSONEncoder().encode(metrics)
        let actual = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])

        #expect(Set(actual.keys) == Set(expected.keys), "metric names differ from the reference")
        var mismatches: [String] = []
        for key in expected.keys.sorted() {
            compare(actual[key], expected[key], path: key, into: &mismatches)
        }
        #expect(mismatches.isEmpty, "\(name): \(mismatches.joined(separator: "; "))")
    }

    /// Records where `actual` and `expected` (JSON values) differ: numbers by 1e-9 relative,
    /// everything else exactly.
    func compare(_ actual: Any?, _ expected: Any?, path: String, into mismatches: inout [String]) {
        switch (actual, expected) {
        case (nil, nil), (is NSNull, is NSNull):
            return
        case (let a as [Any], let e as [Any]):
            guard a.count == e.count else { return mismatches.append("\(path): \(a.count) items, expected \(e.count)") }
            for (i, (x, y)) in zip(a, e).enumerated() { compare(x, y, path: "\(path)[\(i)]", into: &mismatches) }
        case (let a as [String: Any], let e as [String: Any]):
            guard Set(a.keys) == Set(e.keys) else { return mismatches.append("\(path): keys \(a.keys.sorted()), expected \(e.keys.sorted())") }
            for key in e.keys.sorted() { compare(a[key], e[key], path: "\(path).\(key)", into: &mismatches) }
        case (let a as String, let e as String):
            if a != e { mismatches.append("\(path): \(a), expected \(e)") }
        case (let a as NSNumber, let e as NSNumber):
            let x = a.doubleValue, y = e.doubleValue
            if x != y, !(abs(x - y) <= 1e-9 * max(abs(x), abs(y))) {
                mismatches.append("\(path): \(x), expected \(y)")
            }
        default:
            mismatches.append("\(path): \(String(describing: actual)), expected \(String(describing: expected))")
        }
    }
}

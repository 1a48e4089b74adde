import Foundation
import Testing
@testable import TradelabCore

/// The reference comparison used against TA-Lib and the numpy/pandas references.
///
/// A value `a` matches the reference `b` when both are NaN, or both are numbers and
/// `|a - b| <= 1e-9 * max(|b|, floor)`, where `floor = 1e-3 * max|b|` over the column's
/// numbers. That is a 1e-9 relative test, except for values more than 1000 times smaller than
/// the column's largest one (an MACD histogram crossing zero, a CCI near zero): there the
/// rounding error is set by the size of the operands, not of the result, so the test becomes
/// absolute at 1e-12 of the column's scale. NaN positions must match exactly.
enum Reference {
    static let tolerance = 1e-9
    static let floorFraction = 1e-3

    struct Mismatch: CustomStringConvertible {
        var index: Int
        var actual: Double
        var expected: Double
        var description: String { "row \(index): got \(actual), expected \(expected)" }
    }

    /// The column's floor `1e-3 * max|b|`.
    static func floor(of expected: [Double]) -> Double {
        floorFraction * expected.reduce(0) { $1.isNaN ? $0 : Swift.max($0, $1.magnitude) }
    }

    /// The first mismatch, if any.
    static func firstMismatch(_ actual: [Double], _ expected: [Double]) -> Mismatch? {
        guard actual.count == expected.count else {
            return Mismatch(index: Swift.min(actual.count, expected.count), actual: .nan, expected: .nan)
        }
        let floor = floor(of: expected)
        for i in expected.indices {
            let a = actual[i], b = expected[i]
            if a.isNaN || b.isNaN {
                if a.isNaN != b.isNaN { return Mismatch(index: i, actual: a, expected: b) }
                continue
            }
            if (a - b).magnitude > tolerance * Swift.max(b.magnitude, floor) {
                return Mismatch(index: i, actual: a, expected: b)
            }
        }
        return nil
    }

    /// The largest `|a - b| / |b|` over the column (0 when equal; |b| = 0 counts only exact zeros).
    static func maxRelativeDifference(_ actual: [Double], _ expected: [Double]) -> Double {
        var worst = 0.0
        for i in expected.indices where !expected[i].isNaN && !actual[i].isNaN {
            let d = (actual[i] - expected[i]).magnitude
            if d == 0 { continue }
            worst = Swift.max(worst, expected[i] == 0 ? .infinity : d / expected[i].magnitude)
        }
        return worst
    }

    /// The largest `|a - b| / max(|b|, floor)`, the quantity the test bounds by 1e-9.
    static func maxScaledDifference(_ actual: [Double], _ expected: [Double]) -> Double {
        let floor = floor(of: expected)
        var worst = 0.0
        for i in expected.indices where !expected[i].isNaN && !actual[i].isNaN {
            let d = (actual[i] - expected[i]).magnitude
            if d > 0 { worst = Swift.max(worst, d / Swift.max(expected[i].magnitude, floor)) }
        }
        return worst
    }
}

/// One fixture dataset: input bars, the specs computed on them and the reference columns.
struct FixtureDataset: Sendable {
    var name: String
    var bars: BarSeries
    var specs: [String]
    var columns: [String: [Double]]
    var columnOrder: [String]

    static let names = ["rw100", "low", "high", "flat", "short"]

    static var directory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures/talib")
    }

    static func load(_ name: String) throws -> FixtureDataset {
        let bars = try readCSV(directory.appendingPathComponent("\(name).bars.csv"))
        let n = bars.rows.count
        func column(_ key: String) -> [Double] { bars.values[key]! }
        let series = try BarSeries(timestamps: bars.rows, open: column("open"), high: column("high"),
                                   low: column("low"), close: column("close"), volume: column("volume"))
        let expected = try readCSV(directory.appendingPathComponent("\(name).expected.csv"))
        precondition(expected.rows == bars.rows && n > 0)
        let specs = try String(contentsOf: directory.appendingPathComponent("\(name).specs"), encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        return FixtureDataset(name: name, bars: series, specs: specs, columns: expected.values,
                              columnOrder: expected.header)
    }

    /// A CSV whose first column is `ts` (Int64) and the others are Doubles ("nan" for NaN).
    private static func readCSV(_ url: URL) throws -> (header: [String], rows: [Int64], values: [String: [Double]]) {
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        precondition(header.first == "ts", "\(url.lastPathComponent): first column must be ts")
        var rows: [Int64] = []
        var columns = [[Double]](repeating: [], count: header.count - 1)
        rows.reserveCapacity(lines.count)
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            precondition(fields.count == header.count, "\(url.lastPathComponent): ragged row")
            rows.append(Int64(fields[0])!)
            for k in 1..<fields.count {
                guard let value = Double(fields[k]) else {
                    preconditionFailure("\(url.lastPathComponent): bad number '\(fields[k])'")
                }
                columns[k - 1].append(value)
            }
        }
        var values: [String: [Double]] = [:]
        for (k, name) in header.dropFirst().enumerated() { values[name] = columns[k] }
        return (Array(header.dropFirst()), rows, values)
    }
}

/// SplitMix64: a tiny seeded generator so property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A random OHLCV series: a geometric walk around `price` with tick rounding, flat runs and
/// zero-volume bars, and timestamps crossing several UTC days.
func randomBars(count: Int, seed: UInt64, price: Double = 100, tick: Double = 0.01) -> BarSeries {
    var rng = SeededGenerator(seed: seed)
    var o = [Double](), h = [Double](), l = [Double](), c = [Double](), v = [Double](), t = [Int64]()
    var last = price
    var time: Int64 = 1_709_251_200_000 + Int64.random(in: 0..<86_400_000, using: &rng) / 60_000 * 60_000
    var flatLeft = 0
    func round(_ x: Double) -> Double { (x / tick).rounded() * tick }
    for _ in 0..<count {
        if flatLeft == 0, Double.random(in: 0..<1, using: &rng) < 0.02 { flatLeft = Int.random(in: 1...40, using: &rng) }
        let open = round(last)
        let close: Double, high: Double, low: Double, volume: Double
        if flatLeft > 0 {
            flatLeft -= 1
            (close, high, low, volume) = (open, open, open, 0)
        } else {
            close = round(open * (1 + Double.random(in: -0.01...0.01, using: &rng)))
            high = Swift.max(open, close) + round(Double.random(in: 0...0.005, using: &rng) * open)
            low = Swift.min(open, close) - round(Double.random(in: 0...0.005, using: &rng) * open)
            volume = Double.random(in: 0..<1, using: &rng) < 0.05 ? 0 : Double.random(in: 1...5000, using: &rng).rounded()
        }
        o.append(open); h.append(high); l.append(Swift.min(low, open, close)); c.append(close); v.append(volume)
        t.append(time)
        time += [60_000, 300_000, 900_000, 3_600_000][Int.random(in: 0..<4, using: &rng)]
        last = close
    }
    return try! BarSeries(timestamps: t, open: o, high: h, low: l, close: c, volume: v)
}

/// Bitwise equality of two arrays (NaN equal to NaN with the same payload).
func bitIdentical(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
}

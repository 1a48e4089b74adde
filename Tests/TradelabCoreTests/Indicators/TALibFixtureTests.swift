import Foundation
import Testing
@testable import TradelabCore

/// Every indicator against the TA-Lib 0.8.1 (and numpy/pandas) references written by
/// `scripts/gen_talib_fixtures.py`; see ``Reference`` for the comparison.
@Suite struct TALibFixtureTests {
    static let datasets: [FixtureDataset] = FixtureDataset.names.map { try! FixtureDataset.load($0) }

    @Test(arguments: FixtureDataset.names)
    func batchOutputsMatchReferenceWithinOneBillionth(dataset name: String) throws {
        let dataset = try #require(Self.datasets.first { $0.name == name })
        var checked = Set<String>()
        for text in dataset.specs {
            let spec = try IndicatorSpec(parsing: text)
            let outputs = spec.compute(on: dataset.bars)
            for (column, actual) in zip(spec.outputNames, outputs) {
                let expected = try #require(dataset.columns[column], "\(name): no reference column \(column) for \(text)")
                checked.insert(column)
                if let mismatch = Reference.firstMismatch(actual, expected) {
                    Issue.record("\(name) \(column): \(mismatch)")
                }
            }
        }
        #expect(checked == Set(dataset.columnOrder), "reference columns without a spec: \(Set(dataset.columnOrder).subtracting(checked))")
    }

    @Test(arguments: FixtureDataset.names)
    func warmUpIsExactlyTALibsLookback(dataset name: String) throws {
        let dataset = try #require(Self.datasets.first { $0.name == name })
        for text in dataset.specs {
            let spec = try IndicatorSpec(parsing: text)
            for column in spec.outputNames {
                let expected = try #require(dataset.columns[column])
                let firstValue = expected.firstIndex { !$0.isNaN } ?? expected.count
                #expect(firstValue == Swift.min(spec.lookback, expected.count), "\(name) \(column)")
                #expect(expected[firstValue...].allSatisfy { !$0.isNaN }, "\(name) \(column): NaN after the warm-up")
            }
        }
    }

    @Test(arguments: FixtureDataset.names)
    func streamingMatchesReferenceBitForBitWithBatch(dataset name: String) throws {
        let dataset = try #require(Self.datasets.first { $0.name == name })
        let bars = dataset.bars
        for text in dataset.specs {
            let spec = try IndicatorSpec(parsing: text)
            let batch = spec.compute(on: bars)
            var stream = spec.makeStream()
            var row = [Double](repeating: 0, count: stream.outputCount)
            var streamed = [[Double]](repeating: [], count: stream.outputCount)
            for i in 0..<bars.count {
                stream.update(open: bars.open[i], high: bars.high[i], low: bars.low[i], close: bars.close[i],
                              volume: bars.volume[i], time: bars.timestamps[i], into: &row)
                for k in row.indices { streamed[k].append(row[k]) }
            }
            for k in batch.indices {
                #expect(bitIdentical(streamed[k], batch[k]), "\(name) \(spec.outputNames[k])")
            }
        }
    }

    /// Not a check: prints the largest differences from the references (kept for the docs).
    @Test func reportLargestDifferences() throws {
        var worst: [String: (relative: Double, scaled: Double, at: String)] = [:]
        for dataset in Self.datasets {
            for text in dataset.specs {
                let spec = try IndicatorSpec(parsing: text)
                for (column, actual) in zip(spec.outputNames, spec.compute(on: dataset.bars)) {
                    let expected = dataset.columns[column]!
                    let relative = Reference.maxRelativeDifference(actual, expected)
                    let scaled = Reference.maxScaledDifference(actual, expected)
                    let key = spec.name
                    let old = worst[key] ?? (0, 0, "")
                    worst[key] = (Swift.max(old.relative, relative), Swift.max(old.scaled, scaled),
                                  scaled > old.scaled ? "\(dataset.name) \(column)" : old.at)
                }
            }
        }
        for (name, w) in worst.sorted(by: { $0.key < $1.key }) {
            print("reference-diff \(name): max relative \(w.relative), max scaled \(w.scaled) (\(w.at))")
        }
    }
}

import Foundation
import TradelabCore

extension SampleData {
    /// The file name of a symbol's sample data: `BTCUSDT_1m.csv`.
    public static func fileName(for symbol: SampleSymbol) -> String { "\(symbol.name)_1m.csv" }

    /// Generates and writes `<SYMBOL>_1m.csv` for each symbol into `directory` (created if
    /// needed), with ``CSVWriter``. Symbols are generated in parallel; the files are the same
    /// whatever the order.
    ///
    /// - Parameters:
    ///   - directory: Target folder.
    ///   - days: Calendar days per symbol.
    ///   - start: Start, UTC milliseconds; defaults to 2024-01-01T00:00Z.
    ///   - seed: Varies the paths; the same arguments always write the same files.
    ///   - symbols: Which symbols; all curated ones by default.
    ///   - timeStyle: ISO 8601 (default) or epoch milliseconds.
    /// - Returns: The written paths, in the order of `symbols`.
    /// - Throws: ``DataFileError`` when a file cannot be written.
    @discardableResult
    public static func writeAll(to directory: String, days: Int, start: Int64 = defaultStart, seed: UInt64 = 0,
                                symbols: [SampleSymbol] = SampleData.symbols,
                                timeStyle: CSVWriter.TimeStyle = .iso8601) throws(DataFileError) -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw DataFileError(file: directory, reason: "cannot create the folder: \(error.localizedDescription)")
        }
        let paths = symbols.map { URL(fileURLWithPath: directory).appendingPathComponent(fileName(for: $0)).path }
        let failures = FailureList()
        let writer = CSVWriter(timeStyle: timeStyle)
        DispatchQueue.concurrentPerform(iterations: symbols.count) { k in
            let bars = generate(symbol: symbols[k], days: days, start: start, seed: seed)
            do throws(DataFileError) {
                try writer.write(bars, to: paths[k])
            } catch {
                failures.append(k, error)
            }
        }
        if let first = failures.first { throw first }
        return paths
    }
}

/// Errors collected from parallel writers; the lowest index wins so the thrown error is stable.
private final class FailureList: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [(Int, DataFileError)] = []

    func append(_ index: Int, _ error: DataFileError) {
        lock.lock()
        errors.append((index, error))
        lock.unlock()
    }

    var first: DataFileError? {
        lock.lock()
        defer { lock.unlock() }
        return errors.min { $0.0 < $1.0 }?.1
    }
}

import Foundation
import Testing
import TradelabCore
@testable import TradelabData

/// The repository root, found from this file's path.
let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A failure to set up the reference tools; the tests that need them fail with this text.
struct FixtureSetupError: Error, CustomStringConvertible {
    var description: String
}

/// Runs the project venv's Python with `arguments`; returns (status, stdout + stderr).
func runPython(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let python = repositoryRoot.appendingPathComponent(".venv/bin/python").path
    guard FileManager.default.isExecutableFile(atPath: python) else {
        throw FixtureSetupError(description: "\(python) is missing: run scripts/setup.sh (make test does) to create the venv with pyarrow, polars, duckdb and fastparquet")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// One entry of the fixtures' manifest.json.
struct FixtureEntry: Decodable, Sendable {
    var file: String
    var writer: String
    var expect: String
    var expected: String?
    var features: [String]?
    var skipped: [String]?
    var timeColumn: String?
    var rowGroups: Int?
    var contains: [String]?
}

/// tables.json: the table fixtures and the exact values they hold.
struct TableFixtures: Decodable, Sendable {
    /// One column: integers and doubles (IEEE bit patterns) as decimal text, strings, booleans.
    struct Column: Decodable, Sendable {
        var name: String
        var type: String
        var values: Values

        enum Values: Decodable, Sendable {
            case text([String]), flags([Bool])

            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let flags = try? container.decode([Bool].self) { self = .flags(flags) } else { self = .text(try container.decode([String].self)) }
            }
        }
    }

    var expected: [String: [Column]]
    /// The files: `expected` names the table of an `ok` one, `contains` what an `error` one says.
    var files: [FixtureEntry]

    /// The expected table called `key`.
    func table(_ key: String) throws -> ParquetTable {
        try ParquetTable(expected[key]!.map { column in
            switch (column.type, column.values) {
            case ("int64", .text(let v)): (column.name, .int64(v.map { Int64($0)! }))
            case ("timestampMillis", .text(let v)): (column.name, .timestampMillis(v.map { Int64($0)! }))
            case ("double", .text(let v)): (column.name, .double(v.map { Double(bitPattern: UInt64($0)!) }))
            case ("string", .text(let v)): (column.name, .string(v))
            case ("bool", .flags(let v)): (column.name, .bool(v))
            default: preconditionFailure("tables.json: column \(column.name) of type \(column.type)")
            }
        })
    }
}

/// Expected values from a sidecar CSV (time in UTC ms; empty signal = NaN).
struct ExpectedBars: Sendable {
    var time: [Int64] = []
    var columns: [[Double]] = [[], [], [], [], [], []]  // open high low close volume signal
}

/// The fixtures, generated once per test run into a temporary folder by
/// scripts/gen_parquet_fixtures.py with the project's .venv.
final class ParquetFixtures: Sendable {
    let directory: String
    let entries: [FixtureEntry]
    let expected: [String: ExpectedBars]
    let tables: TableFixtures

    /// The shared set, or the reason it could not be made.
    static let shared: Result<ParquetFixtures, FixtureSetupError> = {
        do {
            return .success(try ParquetFixtures())
        } catch let error as FixtureSetupError {
            return .failure(error)
        } catch {
            return .failure(FixtureSetupError(description: "\(error)"))
        }
    }()

    /// The fixtures, or a thrown ``FixtureSetupError`` that fails the calling test.
    static func get() throws -> ParquetFixtures { try shared.get() }

    private init() throws {
        let script = repositoryRoot.appendingPathComponent("scripts/gen_parquet_fixtures.py").path
        guard FileManager.default.fileExists(atPath: script) else {
            throw FixtureSetupError(description: "\(script) is missing")
        }
        // One folder per test process (about 90 MB); folders of processes that are gone are removed.
        let temporary = FileManager.default.temporaryDirectory
        let prefix = "tradelab-parquet-fixtures-"
        for old in (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? [] where old.hasPrefix(prefix) {
            if let pid = Int32(old.dropFirst(prefix.count)), pid != getpid(), kill(pid, 0) != 0 {
                try? FileManager.default.removeItem(at: temporary.appendingPathComponent(old))
            }
        }
        let dir = temporary.appendingPathComponent(prefix + "\(getpid())").path
        let (status, output) = try runPython([script, dir])
        guard status == 0 else { throw FixtureSetupError(description: "gen_parquet_fixtures.py failed (\(status)):\n\(output)") }
        directory = dir
        let manifest = try Data(contentsOf: URL(fileURLWithPath: dir + "/manifest.json"))
        entries = try JSONDecoder().decode([FixtureEntry].self, from: manifest)
        var expected: [String: ExpectedBars] = [:]
        for name in ["expected.csv", "expected_daily.csv"] {
            expected[name] = try Self.readExpected(dir + "/" + name)
        }
        self.expected = expected
        tables = try JSONDecoder().decode(TableFixtures.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/tables.json")))
    }

    func path(_ file: String) -> String { directory + "/" + file }

    static func readExpected(_ path: String) throws -> ExpectedBars {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var result = ExpectedBars()
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            result.time.append(Int64(fields[0])!)
            for k in 0..<6 {
                let text = fields[k + 1].trimmingCharacters(in: .whitespacesAndNewlines)
                result.columns[k].append(text.isEmpty ? .nan : Double(text)!)
            }
        }
        return result
    }
}

/// Expects `read` to fail on the fixture `entry` with a located error containing its `contains` parts.
func expectClearError(_ entry: FixtureEntry, in fixtures: ParquetFixtures, read: (String) throws(DataFileError) -> Void) {
    do throws(DataFileError) {
        try read(fixtures.path(entry.file))
        Issue.record("\(entry.file) (\(entry.writer)) was read, expected an error")
    } catch {
        let text = error.description
        for part in entry.contains ?? [] {
            #expect(text.contains(part), "\(entry.file): '\(text)' lacks '\(part)'")
        }
        #expect(text.hasPrefix(entry.file + ": "), "\(text)")
    }
}

/// True when two doubles are the same value bit for bit (NaN equal to NaN).
func sameDouble(_ a: Double, _ b: Double) -> Bool {
    a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
}

/// The first row where `column` differs from `expected`, or nil.
func firstDifference(_ column: [Double], _ expected: ArraySlice<Double>) -> Int? {
    guard column.count == expected.count else { return -1 }
    for (i, (a, b)) in zip(column, expected).enumerated() where !sameDouble(a, b) { return i }
    return nil
}

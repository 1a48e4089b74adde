import Foundation
import TradelabCore
@testable import TradelabData

/// Runs `body` with a fresh folder under the system temporary directory, removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tradelab-data-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url.path)
}

/// UTC milliseconds of a calendar time, computed independently of the code under test.
func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0, ms: Int = 0) -> Int64 {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let date = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
    return Int64(date.timeIntervalSince1970.rounded()) * 1000 + Int64(ms)
}

/// Parses CSV text the way a file would be read.
func load(_ text: String, name: String = "prices.csv", options: CSVOptions = .init()) throws(DataFileError) -> LoadedBars {
    try CSVLoader.parse(text: text, name: name, options: options)
}

/// The error text a CSV produces, or nil if it loads.
func loadError(_ text: String, name: String = "prices.csv", options: CSVOptions = .init()) -> String? {
    do {
        _ = try load(text, name: name, options: options)
        return nil
    } catch {
        return error.description
    }
}

/// Three bars on 2024-01-02 at 00:00, 00:01, 00:02 UTC: the data most loader tests expect.
let threeBars: BarSeries = try! BarSeries(
    timestamps: [utc(2024, 1, 2, 0, 0), utc(2024, 1, 2, 0, 1), utc(2024, 1, 2, 0, 2)],
    open: [100, 101.5, 102], high: [102, 103, 102.25], low: [99.5, 101, 100.125],
    close: [101.5, 102, 100.5], volume: [10, 12.5, 0])

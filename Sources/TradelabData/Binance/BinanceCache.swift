#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TradelabCore

/// A cached month: its coverage record and its klines.
public struct CachedPartition: Sendable, Equatable {
    /// The sidecar.
    public var coverage: PartitionCoverage
    /// The klines, oldest first, all inside `coverage.covered`.
    public var klines: [BinanceKline]
}

/// The on-disk kline cache inside a data directory: one file per symbol, interval and UTC month,
///
/// ```text
/// DATA/binance/BTCUSDT/1m/2024-01.parquet              bars: time, OHLCV, quote_asset_volume, number_of_trades,
///                                                  taker_buy_base_asset_volume, taker_buy_quote_asset_volume
/// DATA/binance/BTCUSDT/1m/2024-01.coverage.json    PartitionCoverage: the span fetched, complete or not
/// ```
///
/// Partitions are written through ``MarketDataFile/write(_:to:)`` and read through
/// ``MarketDataFile/load(path:)``, so their format is ``partitionExtension``. Every file is
/// written to a hidden temporary name and renamed into place, the bars before the sidecar, so an
/// interrupted fetch leaves each month either as it was or fully updated; a sidecar that does
/// not match its file makes the month count as missing.
public struct BinanceCache: Sendable {
    /// The format of new partition files (`"parquet"`; `"csv"` also works: ``MarketDataFile`` writes
    /// Parquet. Existing partitions stay readable in either format (the sidecar names the file).
    public static let partitionExtension = "parquet"

    /// The data directory (`data`): partitions live under `binance/` in it.
    public let dataDirectory: String

    /// Creates a cache rooted at `dataDirectory/binance`.
    public init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
    }

    /// `DATA/binance/SYMBOL/INTERVAL`.
    public func folder(symbol: String, interval: Timeframe) -> String {
        "\(dataDirectory)/binance/\(symbol)/\(interval.binanceInterval)"
    }

    /// `DATA/binance/SYMBOL/INTERVAL/YYYY-MM.<ext>`.
    public func partitionPath(symbol: String, interval: Timeframe, month: UTCMonth) -> String {
        folder(symbol: symbol, interval: interval) + "/\(month).\(Self.partitionExtension)"
    }

    /// `DATA/binance/.locks/SYMBOL-INTERVAL.lock`: held while a fetch writes the folder (hidden,
    /// so the catalog never sees it, and outside the folder, so a failed first fetch leaves none).
    public func lockPath(symbol: String, interval: Timeframe) -> String {
        "\(dataDirectory)/binance/.locks/\(symbol)-\(interval.binanceInterval).lock"
    }

    /// `DATA/binance/SYMBOL/INTERVAL/YYYY-MM.coverage.json`.
    public func coveragePath(symbol: String, interval: Timeframe, month: UTCMonth) -> String {
        folder(symbol: symbol, interval: interval) + "/\(month).coverage.json"
    }

    /// The cached month, or nil when it is absent or does not hold what its sidecar says (a file
    /// missing, rows outside the coverage, a count that differs): such a month is fetched again.
    /// - Returns: The partition and, when it was unusable, why.
    public func partition(symbol: String, interval: Timeframe, month: UTCMonth) -> (partition: CachedPartition?, problem: String?) {
        let sidecar = coveragePath(symbol: symbol, interval: interval, month: month)
        guard let data = FileManager.default.contents(atPath: sidecar) else { return (nil, nil) }
        guard let coverage = try? JSONDecoder().decode(PartitionCoverage.self, from: data) else {
            return (nil, "\(month): unreadable \(URL(fileURLWithPath: sidecar).lastPathComponent)")
        }
        guard coverage.symbol == symbol, coverage.interval == interval.binanceInterval, coverage.month == month.description,
              coverage.from >= month.start, coverage.to <= month.end, coverage.from <= coverage.to else {
            return (nil, "\(month): the coverage record is for another partition or range")
        }
        guard let file = coverage.file else {
            return coverage.bars == 0 ? (CachedPartition(coverage: coverage, klines: []), nil)
                                      : (nil, "\(month): the coverage record names no file but \(coverage.bars) bars")
        }
        guard !file.contains("/"), file.hasPrefix(month.description + ".") else {
            return (nil, "\(month): the coverage record names an unexpected file '\(file)'")
        }
        let path = folder(symbol: symbol, interval: interval) + "/" + file
        let bars: BarSeries
        do {
            bars = try MarketDataFile.load(path: path).bars
        } catch {
            return (nil, "\(month): \(error.description)")
        }
        guard bars.count == coverage.bars, bars.timestamps.allSatisfy({ coverage.covered.contains($0) }) else {
            return (nil, "\(month): \(file) holds \(bars.count) bars, its coverage record \(coverage.bars)")
        }
        guard let klines = Self.klines(from: bars, interval: interval) else {
            return (nil, "\(month): \(file) lacks the Binance volume columns")
        }
        return (CachedPartition(coverage: coverage, klines: klines), nil)
    }

    /// Writes a month: the bars (atomically, replacing any earlier file of the month), then the sidecar.
    /// With no bars, only the sidecar is written and an earlier file removed.
    /// - Throws: ``BinanceError/cache(_:)`` when a file cannot be written.
    public func store(_ klines: [BinanceKline], coverage: PartitionCoverage, interval: Timeframe) throws(BinanceError) {
        guard let month = UTCMonth(coverage.month) else {
            preconditionFailure("BinanceCache.store: bad month '\(coverage.month)'")
        }
        let directory = folder(symbol: coverage.symbol, interval: interval)
        let target = partitionPath(symbol: coverage.symbol, interval: interval, month: month)
        var coverage = coverage
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .cache(DataFileError(file: directory, reason: "cannot create the folder: \(error.localizedDescription)"))
        }
        if klines.isEmpty {
            coverage.file = nil
        } else {
            let bars: BarSeries
            do {
                bars = try BarSeries(klines: klines)
            } catch {
                throw .cache(DataFileError(file: "\(coverage.symbol) \(coverage.interval) \(coverage.month)", error))
            }
            let temporary = directory + "/.\(month).\(getpid()).tmp.\(Self.partitionExtension)"
            do {
                try MarketDataFile.write(bars, to: temporary)
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                throw .cache(error)
            }
            try Self.syncAndRename(temporary, to: target)
            coverage.file = URL(fileURLWithPath: target).lastPathComponent
        }
        // Files of this month in another format (or all of them, when it has no bars) go.
        for ext in MarketDataFile.extensions where ext != Self.partitionExtension || klines.isEmpty {
            let other = directory + "/\(month).\(ext)"
            if FileManager.default.fileExists(atPath: other) { try? FileManager.default.removeItem(atPath: other) }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let sidecar = coveragePath(symbol: coverage.symbol, interval: interval, month: month)
        let temporary = directory + "/.\(month).\(getpid()).tmp.coverage.json"
        do {
            try (encoder.encode(coverage) + Data("\n".utf8)).write(to: URL(fileURLWithPath: temporary))
        } catch {
            throw .cache(DataFileError(file: temporary, reason: "cannot write: \(error.localizedDescription)"))
        }
        try Self.syncAndRename(temporary, to: sidecar)
    }

    /// Removes temporary files an interrupted fetch left in the folder (`.2024-01.<pid>.tmp.*`).
    /// Call it only while holding the folder's lock.
    public func removeTemporaries(symbol: String, interval: Timeframe) {
        let directory = folder(symbol: symbol, interval: interval)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(".") && name.contains(".tmp.") {
            try? FileManager.default.removeItem(atPath: directory + "/" + name)
        }
    }

    /// Klines back from cached bars: the four Binance feature columns are required.
    static func klines(from bars: BarSeries, interval: Timeframe) -> [BinanceKline]? {
        let names = BinanceKline.featureNames
        guard let quote = bars.feature(named: names[0]), let trades = bars.feature(named: names[1]),
              let base = bars.feature(named: names[2]), let takerQuote = bars.feature(named: names[3]) else { return nil }
        var out: [BinanceKline] = []
        out.reserveCapacity(bars.count)
        for i in 0..<bars.count {
            guard trades[i].isFinite, quote[i].isFinite, base[i].isFinite, takerQuote[i].isFinite else { return nil }
            out.append(BinanceKline(
                openTime: bars.timestamps[i], open: bars.open[i], high: bars.high[i], low: bars.low[i], close: bars.close[i],
                volume: bars.volume[i], closeTime: bars.timestamps[i] + interval.milliseconds - 1, quoteVolume: quote[i],
                trades: Int(trades[i]), takerBuyBase: base[i], takerBuyQuote: takerQuote[i]))
        }
        return out
    }

    /// Flushes `temporary` to disk and renames it over `target` (atomic on POSIX file systems).
    static func syncAndRename(_ temporary: String, to target: String) throws(BinanceError) {
        if let handle = FileHandle(forWritingAtPath: temporary) {
            try? handle.synchronize()
            try? handle.close()
        }
        guard rename(temporary, target) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw .cache(DataFileError(file: target, reason: "cannot move the new file into place: \(reason)"))
        }
    }
}

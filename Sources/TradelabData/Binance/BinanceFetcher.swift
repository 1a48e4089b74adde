#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TradelabCore

/// Brings a symbol's klines for a time range into the ``BinanceCache``, fetching only what the
/// cache lacks, month by month.
///
/// For each UTC month of the range it reads the month's sidecar, plans (``MonthPlan``) the spans
/// still missing (none for a complete month; always the requested part of the still-open current
/// month), pages through them with ``BinanceKlineClient`` and writes the month back atomically.
/// If a request finally fails, what arrived for the month so far is saved with its coverage before
/// the error is thrown, so the next run resumes there, losing and duplicating nothing. Bars that
/// have not closed yet (open time at or after the start of the current interval) are never stored.
///
/// ```swift
/// let fetcher = try BinanceFetcher(dataDirectory: "data")
/// let report = try await fetcher.fetch(symbol: "BTCUSDT", interval: .m1,
///                                      from: try UTCTime.parse("2024-01-01"), to: try UTCTime.parse("2024-02-01"))
/// print(report.bars, report.barsFromCache, report.gaps)
/// ```
public struct BinanceFetcher: Sendable {
    /// The cache written to.
    public let cache: BinanceCache
    /// The client used.
    public let client: BinanceKlineClient
    let clock: any FetchClock
    let counters: FetchCounters

    /// Creates a fetcher.
    /// - Parameters:
    ///   - dataDirectory: The data directory; the cache is its `binance/` folder.
    ///   - baseURL: The API root.
    ///   - transport: Sends requests (URLSession by default).
    ///   - options: Client settings.
    ///   - clock: The time (which month is open, rate-limit minutes) and waits.
    /// - Throws: ``BinanceError/invalidArgument(parameter:value:allowed:)`` for bad options.
    public init(dataDirectory: String, baseURL: URL = BinanceKlineClient.defaultBaseURL,
                transport: any KlineTransport = URLSessionKlineTransport(), options: BinanceClientOptions = .init(),
                clock: any FetchClock = SystemFetchClock()) throws(BinanceError) {
        let counters = FetchCounters()
        self.counters = counters
        self.cache = BinanceCache(dataDirectory: dataDirectory)
        self.clock = clock
        self.client = try BinanceKlineClient(baseURL: baseURL, transport: transport, options: options, clock: clock) { event in
            counters.record(event)
        }
    }

    /// Fetches what the cache lacks of `symbol` at `interval` in `[from, to)`.
    /// - Parameters:
    ///   - symbol: A Binance symbol (letters and digits; upper-cased).
    ///   - interval: The kline interval.
    ///   - from: First open time wanted, UTC ms.
    ///   - to: End of the range (exclusive), UTC ms; clipped to the last closed bar.
    ///   - progress: Called as months and pages complete.
    /// - Returns: What is now cached in the range and where it came from, with gaps.
    /// - Throws: ``BinanceError``; months finished before the failure stay cached, and the failing
    ///   month keeps what arrived.
    public func fetch(symbol: String, interval: Timeframe, from: Int64, to: Int64,
                      progress: (BinanceFetchProgress) -> Void = { _ in }) async throws(BinanceError) -> BinanceFetchReport {
        let symbol = try BinanceKlineClient.normalizedSymbol(symbol)
        guard from < to else {
            throw .invalidArgument(parameter: "range", value: "\(UTCTime.format(from)) → \(UTCTime.format(to))", allowed: "--from must be before --to")
        }
        let now = clock.now()
        let horizon = interval.bucketStart(now)
        let coveredTo = max(from, min(to, horizon))
        let range = from..<coveredTo
        var notes: [String] = []
        if to > horizon {
            notes.append("the range ends after the last closed \(interval) bar; fetched up to \(UTCTime.format(coveredTo))")
        }
        let lock = try FetchLock(path: cache.lockPath(symbol: symbol, interval: interval), what: "\(symbol) \(interval)")
        defer { lock.release() }
        cache.removeTemporaries(symbol: symbol, interval: interval)

        let months = UTCMonth.months(overlapping: range)
        var fetchedMonths: [String] = [], cachedMonths: [String] = []
        var barsFetched = 0, pages = 0
        for (index, month) in months.enumerated() {
            let (cached, problem) = cache.partition(symbol: symbol, interval: interval, month: month)
            if let problem { notes.append("\(problem); fetched again") }
            let plan = MonthPlan(month: month, requested: range, interval: interval, now: now, cached: cached?.coverage)
            func report(_ within: Double) {
                let fraction = (Double(index) + within) / Double(max(1, months.count))
                progress(BinanceFetchProgress(month: month, monthsDone: index, monthCount: months.count, pages: pages,
                                              barsFetched: barsFetched, fraction: fraction))
            }
            report(0)
            if plan.isCached {
                cachedMonths.append(month.description)
                continue
            }
            fetchedMonths.append(month.description)
            var received: [BinanceKline] = []
            var refetched: [Range<Int64>] = []
            let total = plan.fetch.reduce(Int64(0)) { $0 + ($1.upperBound - $1.lowerBound) }
            var done: Int64 = 0
            do {
                for span in plan.fetch {
                    try await client.klines(symbol: symbol, interval: interval, in: span) { page throws(BinanceError) in
                        received += page.klines
                        pages += 1
                        barsFetched += page.klines.lazy.filter { range.contains($0.openTime) }.count
                        if let last = refetched.last, last.lowerBound == span.lowerBound { refetched.removeLast() }
                        refetched.append(page.covered)
                        report(Double(done + page.covered.upperBound - span.lowerBound) / Double(max(1, total)))
                    }
                    done += span.upperBound - span.lowerBound
                }
            } catch {
                // Keep what arrived: the next run resumes after it.
                try? save(month: month, interval: interval, symbol: symbol, cached: cached, plan: plan,
                          received: received, refetched: refetched, now: now)
                throw error
            }
            try save(month: month, interval: interval, symbol: symbol, cached: cached, plan: plan,
                     received: received, refetched: refetched, now: now)
        }

        // The range as cached now: count, verify and look for gaps across month boundaries.
        var timestamps: [Int64] = []
        var files: [String] = []
        for month in months {
            let (part, problem) = cache.partition(symbol: symbol, interval: interval, month: month)
            guard let part else {
                throw .cache(DataFileError(file: cache.coveragePath(symbol: symbol, interval: interval, month: month),
                                           reason: problem ?? "the month was not cached"))
            }
            if let file = part.coverage.file { files.append("binance/\(symbol)/\(interval.binanceInterval)/\(file)") }
            timestamps += part.klines.lazy.map(\.openTime).filter { range.contains($0) }
        }
        let gaps = KlineGap.find(in: timestamps, interval: interval)
        if let first = timestamps.first, first > interval.firstOpen(atOrAfter: range.lowerBound) {
            notes.append("no bars before \(UTCTime.format(first)) (the listing, or an outage)")
        }
        if let last = timestamps.last, last + interval.milliseconds < range.upperBound {
            notes.append("no bars after \(UTCTime.format(last)) (delisted, halted or an outage)")
        }
        if timestamps.isEmpty, !range.isEmpty {
            notes.append("Binance has no \(symbol) \(interval) bars in this range")
        }
        let snapshot = counters.snapshot()
        progress(BinanceFetchProgress(month: months.last ?? UTCMonth(containing: from), monthsDone: months.count, monthCount: months.count,
                                      pages: pages, barsFetched: barsFetched, fraction: 1))
        return BinanceFetchReport(
            symbol: symbol, interval: interval.binanceInterval, from: from, to: to, coveredTo: coveredTo,
            bars: timestamps.count, barsFetched: barsFetched, barsFromCache: timestamps.count - barsFetched,
            monthsFetched: fetchedMonths, monthsFromCache: cachedMonths, requests: snapshot.requests, retries: snapshot.retries,
            rateLimitPauses: snapshot.pauses, waitedSeconds: snapshot.waited, gaps: gaps, files: files, notes: notes)
    }

    /// Merges a month's cached bars with those received and writes it with its new coverage.
    ///
    /// Received bars replace cached ones over the spans that were (even partly) re-fetched; the
    /// coverage is the part of cached ∪ re-fetched spans that is one unbroken span (the one with
    /// the cached span, or the first); bars outside it are dropped, to be fetched next time.
    func save(month: UTCMonth, interval: Timeframe, symbol: String, cached: CachedPartition?, plan: MonthPlan,
              received: [BinanceKline], refetched: [Range<Int64>], now: Int64) throws(BinanceError) {
        let pieces = TimeRanges.normalized(refetched + [cached?.coverage.covered].compactMap { $0 })
        guard !refetched.isEmpty, let first = pieces.first else { return }
        let anchor = cached?.coverage.covered.lowerBound
        let coverage = pieces.first { anchor.map($0.contains) ?? false } ?? first
        var byTime: [Int64: BinanceKline] = [:]
        for k in cached?.klines ?? [] where !TimeRanges.contains(refetched, k.openTime) { byTime[k.openTime] = k }
        let horizon = interval.bucketStart(now)
        for k in received where TimeRanges.contains(refetched, k.openTime) && k.openTime < horizon { byTime[k.openTime] = k }
        let klines = byTime.values.filter { coverage.contains($0.openTime) }.sorted { $0.openTime < $1.openTime }
        let record = PartitionCoverage(
            symbol: symbol, interval: interval.binanceInterval, month: month.description,
            from: coverage.lowerBound, to: coverage.upperBound,
            complete: MonthPlan.isComplete(coverage, month: month, interval: interval, now: now),
            bars: klines.count, expectedBars: interval.expectedBars(in: coverage), file: nil, fetchedAt: now)
        try cache.store(klines, coverage: record, interval: interval)
    }
}

/// Counts the client's events (requests, retries, pauses) across its calls.
final class FetchCounters: @unchecked Sendable {
    private let lock = NSLock()
    private var requests = 0, retries = 0, pauses = 0
    private var waited = 0.0

    func record(_ event: BinanceClientEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .request: requests += 1
        case .retry(_, _, let wait): retries += 1; waited += wait
        case .rateLimitPause(_, let wait): pauses += 1; waited += wait
        }
    }

    func snapshot() -> (requests: Int, retries: Int, pauses: Int, waited: Double) {
        lock.lock()
        defer { lock.unlock() }
        return (requests, retries, pauses, waited)
    }
}

/// An exclusive `flock` on `DATA/binance/.locks/SYMBOL-INTERVAL.lock`, so two fetches of one
/// symbol and interval never interleave their writes; the system drops it if the process dies.
struct FetchLock: ~Copyable {
    private let descriptor: Int32

    init(path: String, what: String) throws(BinanceError) {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .cache(DataFileError(file: folder, reason: "cannot create the folder: \(error.localizedDescription)"))
        }
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw .cache(DataFileError(file: path, reason: "cannot open the lock file: \(String(cString: strerror(errno)))"))
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw .cache(DataFileError(file: path, reason: "another fetch of \(what) is running; wait for it to finish"))
        }
        descriptor = fd
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

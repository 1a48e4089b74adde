import ArgumentParser
import Foundation
import TradelabCore
import TradelabData

extension DataCommand {
    /// `tradelab data fetch`: Binance kline history into the data directory's cache.
    struct FetchCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fetch",
            abstract: "Download Binance klines into DATA/binance/SYMBOL/INTERVAL/YYYY-MM.csv, fetching only what is not cached.",
            discussion: """
            Complete months are never requested again; the current month always is. Rate limits \
            (X-MBX-USED-WEIGHT-1M, HTTP 429/418 Retry-After) are waited out and transient failures \
            retried; an interrupted fetch resumes where it stopped. See docs/binance.md.

            Example:
              tradelab data fetch --symbol BTCUSDT --interval 1m --from 2024-01-01 --to 2024-02-01
            """)

        @Option(name: .long, help: ArgumentHelp("Binance symbol, e.g. BTCUSDT.", valueName: "symbol"))
        var symbol: String

        @Option(name: .long, help: ArgumentHelp("Kline interval: 1m 5m 15m 30m 1h 4h 1d 1w.", valueName: "tf"))
        var interval: String

        @Option(name: .long, help: ArgumentHelp("First open time (2024-01-01, 2024-01-01T12:00Z or epoch).", valueName: "time"))
        var from: String

        @Option(name: .long, help: ArgumentHelp("End of the range, exclusive (default: now).", valueName: "time"))
        var to: String?

        @Option(name: .customLong("data-dir"), help: ArgumentHelp("Data directory (the cache is its binance/ folder).", valueName: "dir"))
        var dataDirectory = "data"

        @Option(name: .customLong("base-url"), help: ArgumentHelp("API root (https://api.binance.com for binance.com).", valueName: "url"))
        var baseURL = BinanceKlineClient.defaultBaseURL.absoluteString

        @Option(name: .customLong("max-weight"), help: ArgumentHelp("Pause until the next minute when the used request weight reaches this (limit: 1200 binance.us, 6000 binance.com).", valueName: "n"))
        var maxWeight = BinanceClientOptions().maxUsedWeight

        @Option(name: .long, help: ArgumentHelp("Attempts per request on transient failures and rate limits.", valueName: "n"))
        var attempts = BinanceClientOptions().maxAttempts

        @Option(name: .customLong("max-wait"), help: ArgumentHelp("Longest Retry-After to wait out, seconds; longer ones fail.", valueName: "s"))
        var maxWait = BinanceClientOptions().maxWait

        @Option(name: .long, help: ArgumentHelp("Seconds without progress before a request is retried.", valueName: "s"))
        var timeout = BinanceClientOptions().requestTimeout

        @Flag(name: .long, help: "Print the fetch report as JSON.")
        var json = false

        @Option(name: .long, help: ArgumentHelp("Pretend it is this time (tests: which month is still open).", visibility: .hidden))
        var now: String?

        @Option(name: .customLong("wait-scale"), help: ArgumentHelp("Multiply every wait by this (tests).", visibility: .hidden))
        var waitScale = 1.0

        func run() async throws {
            let timeframe = try Timeframe(parsing: interval)
            let start = try UTCTime.parse(from)
            let clock = SystemFetchClock(pinnedNow: try now.map { text throws(MarketDataError) in try UTCTime.parse(text) })
            let end = try to.map { text throws(MarketDataError) in try UTCTime.parse(text) } ?? clock.now()
            guard let url = URL(string: baseURL) else { throw ValidationError("--base-url '\(baseURL)' is not a URL") }
            var options = BinanceClientOptions()
            options.maxUsedWeight = maxWeight
            options.maxAttempts = attempts
            options.maxWait = maxWait
            options.requestTimeout = timeout
            options.waitScale = waitScale
            let fetcher = try BinanceFetcher(dataDirectory: dataDirectory, baseURL: url, options: options, clock: clock)
            let name = "\(symbol.uppercased()) \(timeframe)"
            let bar = ProgressBar("fetch \(name)")
            let symbol = self.symbol
            let task = Task { () async throws -> BinanceFetchReport in
                try await fetcher.fetch(symbol: symbol, interval: timeframe, from: start, to: end) { p in
                    bar.update(p.fraction, detail: "\(p.month) · month \(min(p.monthsDone + 1, p.monthCount))/\(p.monthCount) · \(p.pages) pages · \(Report.grouped(p.barsFetched)) bars")
                }
            }
            // Ctrl-C / SIGTERM: cancel, so the month in progress keeps what arrived; a second one exits at once.
            let signals = Self.cancelOnSignals(task)
            defer { signals.forEach { $0.cancel() } }
            let result = await task.result
            bar.finish()
            if case .failure(let error) = result, error as? BinanceError == .cancelled {
                printError("fetch of \(name) interrupted; what arrived is cached, run the same command to resume")
                throw ExitCode(130)
            }
            let report = try result.get()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
                return
            }
            print(Self.summary(report, folder: fetcher.cache.folder(symbol: report.symbol, interval: timeframe)))
        }

        /// Cancels `task` on SIGINT or SIGTERM; the second signal ends the process.
        static func cancelOnSignals(_ task: Task<BinanceFetchReport, any Error>) -> [any DispatchSourceSignal] {
            [SIGINT, SIGTERM].map { number in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    if task.isCancelled { Self.exit(withError: ExitCode(130)) }
                    task.cancel()
                }
                source.resume()
                return source
            }
        }

        /// The human summary: totals, sources, waits, gaps, where the files are.
        static func summary(_ r: BinanceFetchReport, folder: String) -> String {
            func months(_ list: [String]) -> String { list.count == 1 ? "1 month" : "\(list.count) months" }
            var lines = [
                "\(r.symbol) \(r.interval) \(UTCTime.short(r.from)) → \(UTCTime.short(r.coveredTo)): \(Report.grouped(r.bars)) bars",
                "  from Binance  \(Report.grouped(r.barsFetched)) bars, \(months(r.monthsFetched)), \(r.requests) request\(r.requests == 1 ? "" : "s")",
                "  from cache    \(Report.grouped(r.barsFromCache)) bars, \(months(r.monthsFromCache))",
            ]
            if r.retries > 0 || r.rateLimitPauses > 0 {
                lines.append("  waits         \(r.retries) retr\(r.retries == 1 ? "y" : "ies"), \(r.rateLimitPauses) rate-limit pause\(r.rateLimitPauses == 1 ? "" : "s"), \(String(format: "%.1f", r.waitedSeconds)) s")
            }
            if r.gaps.isEmpty {
                lines.append("  gaps          none")
            } else {
                lines.append("  gaps          \(r.gaps.count) (\(Report.grouped(r.missingBars)) bars missing on Binance, not filled):")
                lines += r.gaps.prefix(20).map { "    \($0)" }
                if r.gaps.count > 20 { lines.append("    … and \(r.gaps.count - 20) more (--json lists all)") }
            }
            lines += r.notes.map { "  note: \($0)" }
            lines.append("  stored in \(folder)/")
            return lines.joined(separator: "\n")
        }
    }
}

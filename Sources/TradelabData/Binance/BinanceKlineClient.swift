import Foundation
import TradelabCore

/// Something the client did that a caller may count or show: requests, retries, pauses.
public enum BinanceClientEvent: Sendable, Equatable {
    /// A request is about to be sent.
    case request(url: String)
    /// A transient failure; the request is retried after `waitSeconds` (nominal, before scaling).
    case retry(attempt: Int, problem: String, waitSeconds: Double)
    /// A rate-limit pause: HTTP 429/418 `Retry-After`, or the used weight near the limit.
    case rateLimitPause(reason: String, waitSeconds: Double)
}

/// What one page of a paginated fetch brought.
public struct KlinePage: Sendable, Equatable {
    /// The klines of this page, oldest first.
    public var klines: [BinanceKline]
    /// The part of the requested range now known: from its start up to after this page's last kline
    /// (or the whole range once the exchange has no more).
    public var covered: Range<Int64>
}

/// Reads kline history from Binance's REST API (`GET /api/v3/klines`), paging through long
/// ranges, waiting out rate limits and retrying transient failures.
///
/// ```swift
/// let client = BinanceKlineClient()                       // https://api.binance.us
/// let klines = try await client.klines(symbol: "BTCUSDT", interval: .h1,
///                                      in: UTCMonth(year: 2024, month: 1).range)
/// ```
///
/// **Rate limits.** Every answer's `X-MBX-USED-WEIGHT-1M` is read; at ``BinanceClientOptions/maxUsedWeight``
/// the client pauses until the next minute. HTTP 429 and 418 are waited out for their
/// `Retry-After` seconds (at most ``BinanceClientOptions/maxWait``, else it fails), then retried.
/// **Retries.** Dropped connections, timeouts, truncated or unreadable bodies and 5xx answers are
/// retried with exponential backoff, up to ``BinanceClientOptions/maxAttempts`` tries per request.
/// Other 4xx answers fail at once with Binance's code and message.
public struct BinanceKlineClient: Sendable {
    /// `https://api.binance.us`.
    public static let defaultBaseURL = URL(string: "https://api.binance.us")!

    /// Where requests go.
    public let baseURL: URL
    /// Retry, rate-limit and paging settings.
    public let options: BinanceClientOptions
    let transport: any KlineTransport
    let clock: any FetchClock
    let observer: (@Sendable (BinanceClientEvent) -> Void)?

    /// Creates a client.
    /// - Parameters:
    ///   - baseURL: The API root (`https://api.binance.us`, `https://api.binance.com`, a fake).
    ///   - transport: Sends the requests; URLSession by default.
    ///   - options: Retry, rate-limit and paging settings.
    ///   - clock: Time for rate-limit pauses and backoff.
    ///   - observer: Told of every request, retry and pause.
    /// - Throws: ``BinanceError/invalidArgument(parameter:value:allowed:)`` for bad options or a
    ///   base URL that is not http(s).
    public init(baseURL: URL = defaultBaseURL, transport: any KlineTransport = URLSessionKlineTransport(),
                options: BinanceClientOptions = .init(), clock: any FetchClock = SystemFetchClock(),
                observer: (@Sendable (BinanceClientEvent) -> Void)? = nil) throws(BinanceError) {
        try options.validate()
        guard let scheme = baseURL.scheme?.lowercased(), ["http", "https"].contains(scheme), baseURL.host != nil else {
            throw .invalidArgument(parameter: "base URL", value: baseURL.absoluteString, allowed: "an http(s) URL such as https://api.binance.us")
        }
        self.baseURL = baseURL
        self.transport = transport
        self.options = options
        self.clock = clock
        self.observer = observer
    }

    /// Checks a symbol before it reaches a URL or a folder name.
    /// - Returns: The symbol upper-cased.
    /// - Throws: ``BinanceError/invalidArgument(parameter:value:allowed:)`` unless it is 1 to 20
    ///   letters and digits.
    public static func normalizedSymbol(_ symbol: String) throws(BinanceError) -> String {
        let upper = symbol.uppercased()
        guard (1...20).contains(upper.count), upper.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw .invalidArgument(parameter: "symbol", value: symbol, allowed: "1 to 20 letters and digits, e.g. BTCUSDT")
        }
        return upper
    }

    /// The URL of one page: `/api/v3/klines?symbol=&interval=&startTime=&endTime=&limit=`, with
    /// `endTime` inclusive as Binance reads it (`range.upperBound − 1`).
    public func pageURL(symbol: String, interval: Timeframe, range: Range<Int64>) -> URL {
        var components = URLComponents(url: baseURL.appendingPathComponent("api/v3/klines"), resolvingAgainstBaseURL: false)!
        components.queryItems = [
            URLQueryItem(name: "symbol", value: symbol),
            URLQueryItem(name: "interval", value: interval.binanceInterval),
            URLQueryItem(name: "startTime", value: String(range.lowerBound)),
            URLQueryItem(name: "endTime", value: String(range.upperBound - 1)),
            URLQueryItem(name: "limit", value: String(options.limit)),
        ]
        return components.url!
    }

    /// All klines of `symbol` opening in `range`, oldest first, paging by advancing `startTime`
    /// past each page's last open time.
    ///
    /// Paging stops when a page reaches the end of the range or comes back empty. A short page
    /// that stops before the end does not end the fetch by itself: one more request confirms
    /// (an empty answer), so a server that returns fewer klines than asked for loses nothing.
    ///
    /// - Parameters:
    ///   - symbol: A Binance symbol, e.g. `BTCUSDT`.
    ///   - interval: The kline interval.
    ///   - range: Open times wanted, `[from, to)` in UTC ms.
    ///   - onPage: Called after each page with its klines and the part of `range` now known, so a
    ///     caller can keep what arrived before a later page fails.
    /// - Returns: The klines, strictly increasing open times.
    /// - Throws: ``BinanceError``.
    /// - Complexity: ⌈bars / limit⌉ requests (plus one after a short page), each with retries.
    @discardableResult
    public func klines(symbol: String, interval: Timeframe, in range: Range<Int64>,
                       onPage: (KlinePage) throws(BinanceError) -> Void = { _ in }) async throws(BinanceError) -> [BinanceKline] {
        var all: [BinanceKline] = []
        var start = range.lowerBound
        // Each page either ends the loop or advances `start` by at least one bar.
        let maxPages = interval.expectedBars(in: range) + 2
        for _ in 0..<maxPages {
            guard start < range.upperBound else { return all }
            let page = try await self.page(symbol: symbol, interval: interval, range: start..<range.upperBound)
            guard let last = page.last else {
                try onPage(KlinePage(klines: [], covered: range))
                return all
            }
            let next = last.openTime + interval.milliseconds
            all += page
            try onPage(KlinePage(klines: page, covered: range.lowerBound..<min(next, range.upperBound)))
            start = next
        }
        guard start >= range.upperBound else {
            throw .protocolViolation(reason: "paging \(symbol) \(interval) did not reach \(UTCTime.format(range.upperBound)) in \(maxPages) pages")
        }
        return all
    }

    /// One request: the klines of `symbol` opening in `range` (at most ``BinanceClientOptions/limit``),
    /// with rate-limit waits and retries.
    /// - Throws: ``BinanceError``.
    public func page(symbol: String, interval: Timeframe, range: Range<Int64>) async throws(BinanceError) -> [BinanceKline] {
        let url = pageURL(symbol: symbol, interval: interval, range: range)
        var failures = 0
        var lastProblem = ""
        for attempt in 1...options.maxAttempts {
            if Task.isCancelled { throw .cancelled }
            observer?(.request(url: url.absoluteString))
            let response: KlineHTTPResponse
            do {
                response = try await transport.get(url, timeout: options.requestTimeout)
            } catch {
                if Task.isCancelled { throw .cancelled }
                guard error.isTransient else {
                    throw .invalidArgument(parameter: "base URL", value: baseURL.absoluteString, allowed: "a reachable http(s) URL (\(error.reason))")
                }
                lastProblem = error.reason
                failures += 1
                try await retry(attempt: attempt, problem: lastProblem, wait: options.backoff(afterFailures: failures))
                continue
            }
            try await respectWeight(response)
            let retryAfter = response.header("retry-after").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            switch response.status {
            case 200..<300:
                do {
                    let klines = try BinanceKline.decodePage(response.body)
                    try Self.check(klines, in: range, symbol: symbol)
                    return klines
                } catch .malformedResponse(let reason) {
                    lastProblem = "unreadable body (\(reason))"
                    failures += 1
                    try await retry(attempt: attempt, problem: lastProblem, wait: options.backoff(afterFailures: failures))
                }
            case 429, 418:
                // Binance always sends Retry-After here; without one, wait a full rate-limit minute.
                let seconds = retryAfter ?? 60
                guard Double(seconds) <= options.maxWait else {
                    throw .rateLimited(status: response.status, retryAfterSeconds: seconds, maxWaitSeconds: options.maxWait)
                }
                lastProblem = "HTTP \(response.status) (rate limit), Retry-After \(seconds) s"
                guard attempt < options.maxAttempts else { break }
                observer?(.rateLimitPause(reason: "HTTP \(response.status) Retry-After \(seconds) s", waitSeconds: Double(seconds)))
                try await sleep(seconds: Double(seconds))
            case 500...:
                lastProblem = "HTTP \(response.status)\(Self.errorBody(response.body).map { ": \($0.message)" } ?? "")"
                failures += 1
                let wait = max(options.backoff(afterFailures: failures), min(Double(retryAfter ?? 0), options.maxWait))
                try await retry(attempt: attempt, problem: lastProblem, wait: wait)
            default:
                let body = Self.errorBody(response.body)
                if body?.code == -1121 {
                    throw .invalidSymbol(symbol: symbol, message: body?.message ?? "Invalid symbol.")
                }
                throw .rejected(status: response.status, code: body?.code,
                                message: body?.message ?? String(decoding: response.body.prefix(200), as: UTF8.self), url: url.absoluteString)
            }
        }
        throw .retriesExhausted(attempts: options.maxAttempts, lastProblem: lastProblem, url: url.absoluteString)
    }

    /// Rejects pages that break the protocol: open times out of `range` or not increasing.
    static func check(_ klines: [BinanceKline], in range: Range<Int64>, symbol: String) throws(BinanceError) {
        var previous = Int64.min
        for k in klines {
            guard range.contains(k.openTime) else {
                throw .protocolViolation(reason: "\(symbol) kline at \(UTCTime.format(k.openTime)) is outside the requested \(UTCTime.format(range.lowerBound)) ..< \(UTCTime.format(range.upperBound))")
            }
            guard k.openTime > previous else {
                throw .protocolViolation(reason: "\(symbol) klines out of order at \(UTCTime.format(k.openTime))")
            }
            previous = k.openTime
        }
    }

    /// Binance's error body `{"code":-1121,"msg":"Invalid symbol."}`, if that is what `body` is.
    static func errorBody(_ body: Data) -> (code: Int?, message: String)? {
        struct Body: Decodable { var code: Int?; var msg: String? }
        guard let decoded = try? JSONDecoder().decode(Body.self, from: body), let message = decoded.msg else { return nil }
        return (decoded.code, message)
    }

    /// Pauses until the next minute when the used weight reached the threshold.
    private func respectWeight(_ response: KlineHTTPResponse) async throws(BinanceError) {
        guard let text = response.header("x-mbx-used-weight-1m"), let used = Int(text.trimmingCharacters(in: .whitespaces)),
              used >= options.maxUsedWeight else { return }
        // The weight counts per wall-clock minute; wait for the next one, plus a second of margin.
        let now = clock.now()
        let milliseconds = 60_000 - ((now % 60_000) + 60_000) % 60_000 + 1_000
        let seconds = min(Double(milliseconds) / 1000, options.maxWait)
        observer?(.rateLimitPause(reason: "used weight \(used) ≥ \(options.maxUsedWeight)", waitSeconds: seconds))
        try await sleep(seconds: seconds)
    }

    /// Reports a retry and backs off, unless that was the last attempt.
    private func retry(attempt: Int, problem: String, wait: Double) async throws(BinanceError) {
        guard attempt < options.maxAttempts else { return }
        observer?(.retry(attempt: attempt, problem: problem, waitSeconds: wait))
        try await sleep(seconds: wait)
    }

    private func sleep(seconds: Double) async throws(BinanceError) {
        let milliseconds = Int64((seconds * options.waitScale * 1000).rounded())
        do {
            try await clock.sleep(milliseconds: milliseconds)
        } catch {
            throw .cancelled
        }
    }
}

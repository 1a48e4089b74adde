import Foundation
import TradelabCore
@testable import TradelabData

/// An in-memory Binance for client and fetcher tests: answers `/api/v3/klines` from a
/// deterministic kline function, with scripted faults, and records every request. No sockets.
final class StubExchange: KlineTransport, @unchecked Sendable {
    /// What the next requests get instead of a normal answer, consumed in order.
    enum Fault: Sendable, Equatable {
        case status(Int, body: String, retryAfter: Int?)
        case drop
        case garbage
    }

    private let lock = NSLock()
    private var _requests: [URLComponents] = []
    private var faults: [Fault] = []
    /// Symbols the exchange knows.
    var symbols: Set<String> = ["BTCUSDT"]
    /// Open times (per interval) that do not exist: outages.
    var gaps: [Range<Int64>] = []
    /// First open time of any kline (the listing).
    var listing: Int64 = 0
    /// Most klines per page, below the requested limit: partial pages.
    var pageCap: Int?
    /// `X-MBX-USED-WEIGHT-1M` sent with every answer.
    var usedWeight = 2
    /// Fails every request from this request number on (1-based), with HTTP 503.
    var failFrom: Int?
    /// Cancels the calling task at this request number (1-based).
    var cancelAt: Int?

    /// Queues faults for the next requests.
    func inject(_ list: Fault...) {
        lock.withLock { faults += list }
    }

    /// Every request so far, as URL components.
    var requests: [URLComponents] { lock.withLock { _requests } }

    /// `startTime` of every request.
    var startTimes: [Int64] { requests.map { Int64(Self.query($0, "startTime")!)! } }

    static func query(_ c: URLComponents, _ name: String) -> String? {
        c.queryItems?.first { $0.name == name }?.value
    }

    /// The kline opening at `t`: a pure function, so tests can build the expected data.
    static func kline(_ t: Int64, _ interval: Timeframe) -> BinanceKline {
        let k = Double((t / interval.milliseconds) % 1_000)
        let open = 100 + k / 4, close = 100 + Double((t / interval.milliseconds + 7) % 1_000) / 4
        return BinanceKline(openTime: t, open: open, high: max(open, close) + 0.5, low: min(open, close) - 0.25, close: close,
                            volume: 10 + k / 8, closeTime: t + interval.milliseconds - 1, quoteVolume: 1000 + k,
                            trades: Int(k) + 1, takerBuyBase: 5 + k / 16, takerBuyQuote: 500 + k / 2)
    }

    /// What the exchange has in `range`.
    func expected(_ interval: Timeframe, _ range: Range<Int64>) -> [BinanceKline] {
        var out: [BinanceKline] = []
        var t = interval.firstOpen(atOrAfter: max(range.lowerBound, listing))
        while t < range.upperBound {
            if !gaps.contains(where: { $0.contains(t) }) { out.append(Self.kline(t, interval)) }
            t += interval.milliseconds
        }
        return out
    }

    func get(_ url: URL, timeout: Double) async throws(KlineTransportError) -> KlineHTTPResponse {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)!
        let (number, fault) = lock.withLock { () -> (Int, Fault?) in
            _requests.append(components)
            return (_requests.count, faults.isEmpty ? nil : faults.removeFirst())
        }
        let headers = ["X-MBX-USED-WEIGHT-1M": String(usedWeight), "Content-Type": "application/json"]
        if number == cancelAt {
            withUnsafeCurrentTask { $0?.cancel() }
            throw KlineTransportError(reason: "cancelled", isTransient: false)
        }
        if let failFrom, number >= failFrom {
            return KlineHTTPResponse(status: 503, headers: headers, body: Data(#"{"code":-1000,"msg":"Service unavailable."}"#.utf8))
        }
        switch fault {
        case .status(let status, let body, let retryAfter)?:
            var h = headers
            if let retryAfter { h["Retry-After"] = String(retryAfter) }
            return KlineHTTPResponse(status: status, headers: h, body: Data(body.utf8))
        case .drop?:
            throw KlineTransportError(reason: "transfer closed with 450 bytes remaining to read")
        case .garbage?:
            return KlineHTTPResponse(status: 200, headers: headers, body: Data("[[1,\"2".utf8))

        case nil:
            break
        }
        let symbol = Self.query(components, "symbol") ?? ""
        guard symbols.contains(symbol) else {
            return KlineHTTPResponse(status: 400, headers: headers, body: Data(#"{"code":-1121,"msg":"Invalid symbol."}"#.utf8))
        }
        let interval = Timeframe(binanceInterval: Self.query(components, "interval") ?? "")!
        let start = Int64(Self.query(components, "startTime")!)!
        let end = Int64(Self.query(components, "endTime")!)!
        let limit = min(Int(Self.query(components, "limit")!)!, pageCap ?? .max)
        let page = expected(interval, start..<(end + 1)).prefix(limit)
        return KlineHTTPResponse(status: 200, headers: headers, body: Self.wire(Array(page)))
    }

    /// Klines in Binance's wire format: decimals as strings, times and trades as numbers.
    static func wire(_ klines: [BinanceKline]) -> Data {
        func s(_ v: Double) -> String { "\"\(String(format: "%.8f", v))\"" }
        let rows = klines.map { k in
            "[\(k.openTime),\(s(k.open)),\(s(k.high)),\(s(k.low)),\(s(k.close)),\(s(k.volume)),\(k.closeTime),\(s(k.quoteVolume)),\(k.trades),\(s(k.takerBuyBase)),\(s(k.takerBuyQuote)),\"0\"]"
        }
        return Data(("[" + rows.joined(separator: ",") + "]").utf8)
    }
}

/// A clock that never sleeps: it records the waits and moves its time forward by them.
final class ManualClock: FetchClock, @unchecked Sendable {
    private let lock = NSLock()
    private var time: Int64
    private var _sleeps: [Int64] = []

    init(_ now: Int64) { time = now }

    func now() -> Int64 { lock.withLock { time } }

    func sleep(milliseconds: Int64) async throws {
        lock.withLock {
            _sleeps.append(milliseconds)
            time += milliseconds
        }
    }

    /// Every wait so far, ms.
    var sleeps: [Int64] { lock.withLock { _sleeps } }
}

/// UTC ms of a date, through the code's own calendar (checked separately against Foundation).
func ms(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Int64 {
    Int64(UTCTime.days(year: year, month: month, day: day)) * 86_400_000 + Int64(hour) * 3_600_000 + Int64(minute) * 60_000
}

/// A client over `exchange` with no real waits.
func makeClient(_ exchange: StubExchange, clock: ManualClock = ManualClock(ms(2025, 1, 1)),
                configure: (inout BinanceClientOptions) -> Void = { _ in },
                events: (@Sendable (BinanceClientEvent) -> Void)? = nil) throws -> BinanceKlineClient {
    var options = BinanceClientOptions()
    configure(&options)
    return try BinanceKlineClient(baseURL: URL(string: "http://stub.test")!, transport: exchange, options: options, clock: clock, observer: events)
}

/// Collects client events.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var _events: [BinanceClientEvent] = []
    func record(_ e: BinanceClientEvent) { lock.withLock { _events.append(e) } }
    var events: [BinanceClientEvent] { lock.withLock { _events } }
}

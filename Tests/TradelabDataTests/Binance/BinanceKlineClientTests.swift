import Foundation
import Testing
import TradelabCore
@testable import TradelabData

@Suite struct BinanceKlineClientTests {
    let january = UTCMonth(year: 2024, month: 1).range

    @Test func pagesAdvanceStartTimePastTheLastOpenTimeUntilTheRangeEnds() async throws {
        let exchange = StubExchange()
        let client = try makeClient(exchange)
        let range = ms(2024, 1, 1)..<ms(2024, 1, 2, 17, 40)        // 2,500 one-minute bars
        let klines = try await client.klines(symbol: "BTCUSDT", interval: .m1, in: range)
        #expect(klines == exchange.expected(.m1, range))
        #expect(exchange.startTimes == [range.lowerBound, range.lowerBound + 1_000 * 60_000, range.lowerBound + 2_000 * 60_000])
        let first = exchange.requests[0]
        #expect(StubExchange.query(first, "endTime") == String(range.upperBound - 1))   // Binance's endTime is inclusive
        #expect(StubExchange.query(first, "limit") == "1000")
        #expect(StubExchange.query(first, "interval") == "1m")
        #expect(first.path == "/api/v3/klines")
    }

    @Test func shortPagesFromAServerThatCapsPagesLoseNothing() async throws {
        let exchange = StubExchange()
        exchange.pageCap = 300
        let client = try makeClient(exchange)
        let klines = try await client.klines(symbol: "BTCUSDT", interval: .h1, in: january)
        #expect(klines == exchange.expected(.h1, january))
        #expect(exchange.requests.count == 3)            // 300 + 300 + 144: the last reaches the range end, no extra request
    }

    @Test func anEmptyPageEndsPagingAndAShortPageBeforeTheEndIsConfirmedByOneMoreRequest() async throws {
        let exchange = StubExchange()
        exchange.gaps = [ms(2024, 1, 20)..<ms(2024, 3, 1)]          // nothing after Jan 20
        let client = try makeClient(exchange)
        let klines = try await client.klines(symbol: "BTCUSDT", interval: .h1, in: january)
        #expect(klines.count == 19 * 24)
        #expect(exchange.startTimes == [ms(2024, 1, 1), ms(2024, 1, 20)])
    }

    @Test func theCoveredSpanGrowsPageByPage() async throws {
        let exchange = StubExchange()
        let client = try makeClient(exchange) { $0.limit = 500 }
        var covered: [Range<Int64>] = []
        try await client.klines(symbol: "BTCUSDT", interval: .h1, in: january) { page in covered.append(page.covered) }
        #expect(covered == [january.lowerBound..<(january.lowerBound + 500 * 3_600_000), january])
    }

    @Test func http429IsWaitedOutForRetryAfterThenRetried() async throws {
        let exchange = StubExchange()
        exchange.inject(.status(429, body: #"{"code":-1003,"msg":"Too many requests."}"#, retryAfter: 7))
        let clock = ManualClock(ms(2025, 1, 1))
        let log = EventLog()
        let client = try makeClient(exchange, clock: clock, events: log.record)
        let klines = try await client.page(symbol: "BTCUSDT", interval: .h1, range: january)
        #expect(klines.count == 744)
        #expect(clock.sleeps == [7_000])
        #expect(log.events.contains(.rateLimitPause(reason: "HTTP 429 Retry-After 7 s", waitSeconds: 7)))
        #expect(exchange.requests.count == 2)
    }

    @Test func waitsAreScaledButReportedNominally() async throws {
        let exchange = StubExchange()
        exchange.inject(.status(418, body: #"{"code":-1003,"msg":"Way too many requests; IP banned."}"#, retryAfter: 120))
        let clock = ManualClock(ms(2025, 1, 1))
        let log = EventLog()
        let client = try makeClient(exchange, clock: clock, configure: { $0.waitScale = 0.001 }, events: log.record)
        _ = try await client.page(symbol: "BTCUSDT", interval: .h1, range: january)
        #expect(clock.sleeps == [120])
        #expect(log.events.contains(.rateLimitPause(reason: "HTTP 418 Retry-After 120 s", waitSeconds: 120)))
    }

    @Test func aRetryAfterLongerThanTheCapFailsWithoutWaiting() async throws {
        let exchange = StubExchange()
        exchange.inject(.status(418, body: #"{"code":-1003,"msg":"Way too many requests; IP banned."}"#, retryAfter: 7_200))
        let clock = ManualClock(ms(2025, 1, 1))
        let client = try makeClient(exchange, clock: clock) { $0.maxWait = 300 }
        await #expect(throws: BinanceError.rateLimited(status: 418, retryAfterSeconds: 7_200, maxWaitSeconds: 300)) {
            try await client.page(symbol: "BTCUSDT", interval: .h1, range: january)
        }
        #expect(clock.sleeps.isEmpty)
    }

    @Test func transientFailuresAreRetriedWithExponentialBackoff() async throws {
        let exchange = StubExchange()
        exchange.inject(.drop, .status(500, body: "oops", retryAfter: nil), .garbage, .status(502, body: "", retryAfter: nil))
        let clock = ManualClock(ms(2025, 1, 1))
        let client = try makeClient(exchange, clock: clock)
        let klines = try await client.page(symbol: "BTCUSDT", interval: .h1, range: january)
        #expect(klines == exchange.expected(.h1, january))
        #expect(clock.sleeps == [500, 1_000, 2_000, 4_000])
    }

    @Test func retriesStopAfterMaxAttemptsWithTheLastProblem() async throws {
        let exchange = StubExchange()
        exchange.failFrom = 1
        let clock = ManualClock(ms(2025, 1, 1))
        let client = try makeClient(exchange, clock: clock) { $0.maxAttempts = 4; $0.backoffCap = 1.5 }
        do {
            _ = try await client.page(symbol: "BTCUSDT", interval: .h1, range: january)
            Issue.record("expected a failure")
        } catch {
            guard case .retriesExhausted(let attempts, let problem, _) = error else { Issue.record("got \(error)"); return }
            #expect(attempts == 4)
            #expect(problem == "HTTP 503: Service unavailable.")
            #expect(error.description.hasPrefix("giving up after 4 attempts: HTTP 503: Service unavailable."))
        }
        #expect(exchange.requests.count == 4)
        #expect(clock.sleeps == [500, 1_000, 1_500])                 // no wait after the last attempt; capped
    }

    @Test func anInvalidSymbolFailsAtOnceNamingIt() async throws {
        let exchange = StubExchange()
        let client = try makeClient(exchange)
        do {
            _ = try await client.page(symbol: "BTCUSDX", interval: .h1, range: january)
            Issue.record("expected a failure")
        } catch {
            #expect(error == .invalidSymbol(symbol: "BTCUSDX", message: "Invalid symbol."))
            #expect(error.description == "Binance does not know the symbol 'BTCUSDX' (code -1121: Invalid symbol.); check the spelling, e.g. BTCUSDT")
            #expect(!error.description.contains("\n"))
        }
        #expect(exchange.requests.count == 1)
    }

    @Test func otherClientErrorsFailAtOnceWithBinancesCodeAndMessage() async throws {
        let exchange = StubExchange()
        exchange.inject(.status(400, body: #"{"code":-1120,"msg":"Invalid interval."}"#, retryAfter: nil))
        let client = try makeClient(exchange)
        do {
            _ = try await client.page(symbol: "BTCUSDT", interval: .h1, range: january)
            Issue.record("expected a failure")
        } catch {
            guard case .rejected(400, -1120, "Invalid interval.", _) = error else { Issue.record("got \(error)"); return }
        }
        #expect(exchange.requests.count == 1)
    }

    @Test func usedWeightAtTheThresholdPausesUntilTheNextMinute() async throws {
        let exchange = StubExchange()
        exchange.usedWeight = 1_150
        let clock = ManualClock(ms(2025, 1, 1) + 42_500)            // 42.5 s into the minute
        let log = EventLog()
        let client = try makeClient(exchange, clock: clock, configure: { $0.maxUsedWeight = 1_100 }, events: log.record)
        _ = try await client.page(symbol: "BTCUSDT", interval: .h1, range: january)
        #expect(clock.sleeps == [18_500])                           // 17.5 s to the minute + 1 s margin
        #expect(log.events.last == .rateLimitPause(reason: "used weight 1150 ≥ 1100", waitSeconds: 18.5))
        exchange.usedWeight = 1_099
        _ = try await client.page(symbol: "BTCUSDT", interval: .h1, range: january)
        #expect(clock.sleeps.count == 1)
    }

    @Test func klinesOutsideTheRequestedRangeAreAProtocolViolation() throws {
        let k = StubExchange.kline(ms(2024, 2, 1), .h1)
        #expect(throws: BinanceError.self) { try BinanceKlineClient.check([k], in: january, symbol: "BTCUSDT") }
        let a = StubExchange.kline(ms(2024, 1, 2), .h1)
        #expect(throws: BinanceError.self) { try BinanceKlineClient.check([a, a], in: january, symbol: "BTCUSDT") }
    }

    @Test(arguments: ["btcusdt", "ETHBTC", "1INCHUSDT"])
    func symbolsAreUpperCased(symbol: String) throws {
        #expect(try BinanceKlineClient.normalizedSymbol(symbol) == symbol.uppercased())
    }

    @Test(arguments: ["", "../etc", "BTC/USDT", "BTC USDT", "ABCDEFGHIJKLMNOPQRSTU", "BTCÜSDT"])
    func symbolsThatCouldEscapeTheCacheFolderAreRejected(symbol: String) {
        #expect(throws: BinanceError.self) { try BinanceKlineClient.normalizedSymbol(symbol) }
    }

    @Test func badOptionsAndURLsAreRejectedUpFront() {
        #expect(throws: BinanceError.self) { try makeClient(StubExchange()) { $0.limit = 1_001 } }
        #expect(throws: BinanceError.self) {
            try BinanceKlineClient(baseURL: URL(string: "ftp://example.com")!, transport: StubExchange())
        }
    }
}

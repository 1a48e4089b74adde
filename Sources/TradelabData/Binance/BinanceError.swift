import Foundation
import TradelabCore

/// What went wrong talking to Binance or keeping the cache; renders as one line saying what,
/// where and what to do.
public enum BinanceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Binance does not know the symbol (`{"code":-1121,"msg":"Invalid symbol."}`).
    case invalidSymbol(symbol: String, message: String)
    /// A 4xx answer other than a rate limit: a request Binance will never accept.
    case rejected(status: Int, code: Int?, message: String, url: String)
    /// HTTP 429 or 418 with a `Retry-After` longer than the allowed wait.
    case rateLimited(status: Int, retryAfterSeconds: Int, maxWaitSeconds: Double)
    /// Transient failures (dropped connections, timeouts, 5xx, truncated bodies) outlasted the retries.
    case retriesExhausted(attempts: Int, lastProblem: String, url: String)
    /// A 200 answer whose body is not a kline array (after retries, or not retryable).
    case malformedResponse(reason: String)
    /// Klines that break the protocol: out of the requested range, out of order, not advancing.
    case protocolViolation(reason: String)
    /// The cache could not be read or written.
    case cache(DataFileError)
    /// An argument Binance would reject anyway (bad symbol characters, empty range).
    case invalidArgument(parameter: String, value: String, allowed: String)
    /// The fetch was cancelled (Ctrl-C): everything finished before it is in the cache.
    case cancelled

    /// One line, e.g. `Binance does not know the symbol 'BTCUSDX' (code -1121: Invalid symbol.)`.
    public var description: String {
        switch self {
        case .invalidSymbol(let symbol, let message):
            return "Binance does not know the symbol '\(symbol)' (code -1121: \(message)); check the spelling, e.g. BTCUSDT"
        case .rejected(let status, let code, let message, let url):
            return "Binance rejected the request (HTTP \(status)\(code.map { ", code \($0)" } ?? "")): \(message) [\(url)]"
        case .rateLimited(let status, let seconds, let cap):
            let what = status == 418 ? "this IP is banned for making requests after a rate limit (HTTP 418)" : "rate limit hit (HTTP 429)"
            return "Binance: \(what) and asks to wait \(seconds) s, more than the allowed \(Self.seconds(cap)) s; retry later or raise --max-wait"
        case .retriesExhausted(let attempts, let problem, let url):
            return "giving up after \(attempts) attempts: \(problem) [\(url)]; run the same fetch again to resume"
        case .malformedResponse(let reason):
            return "Binance sent an unreadable kline page: \(reason)"
        case .protocolViolation(let reason):
            return "Binance sent unexpected klines: \(reason)"
        case .cache(let error):
            return "cache: \(error.description)"
        case .invalidArgument(let parameter, let value, let allowed):
            return "invalid \(parameter) '\(value)': \(allowed)"
        case .cancelled:
            return "fetch cancelled; completed months are cached, run it again to resume"
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}

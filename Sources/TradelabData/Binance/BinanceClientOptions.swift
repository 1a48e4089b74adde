/// Retry, rate-limit and paging settings of ``BinanceKlineClient``.
///
/// Defaults suit `api.binance.us` (1,200 request weight per minute); for `api.binance.com`
/// (6,000) raise ``maxUsedWeight``.
public struct BinanceClientOptions: Sendable, Equatable {
    /// Klines per request; Binance allows 1...1000.
    public var limit: Int = 1000
    /// Attempts per request before giving up (the first try included), counting transient
    /// failures and rate-limit answers alike.
    public var maxAttempts: Int = 6
    /// First backoff after a transient failure, seconds; doubled each further failure.
    public var backoffBase: Double = 0.5
    /// Longest backoff, seconds.
    public var backoffCap: Double = 30
    /// Longest `Retry-After` (HTTP 429/418) or rate-limit pause the client waits out, seconds;
    /// a longer one fails with ``BinanceError/rateLimited(status:retryAfterSeconds:maxWaitSeconds:)``.
    public var maxWait: Double = 300
    /// When `X-MBX-USED-WEIGHT-1M` reaches this, pause until the next minute starts.
    public var maxUsedWeight: Int = 1000
    /// Seconds without progress before a request times out.
    public var requestTimeout: Double = 30
    /// Multiplies every wait (backoff, Retry-After, weight pause); 1 in real use, tiny in tests.
    /// Reports still show the nominal waits.
    public var waitScale: Double = 1

    /// The defaults.
    public init() {}

    /// Checks every setting.
    /// - Throws: ``BinanceError/invalidArgument(parameter:value:allowed:)`` naming the setting.
    public func validate() throws(BinanceError) {
        func check(_ ok: Bool, _ name: String, _ value: Any, _ allowed: String) throws(BinanceError) {
            if !ok { throw .invalidArgument(parameter: name, value: "\(value)", allowed: allowed) }
        }
        try check((1...1000).contains(limit), "limit", limit, "1...1000 klines per request")
        try check((1...100).contains(maxAttempts), "max attempts", maxAttempts, "1...100")
        try check(backoffBase >= 0 && backoffBase.isFinite, "backoff base", backoffBase, "a non-negative number of seconds")
        try check(backoffCap >= backoffBase && backoffCap.isFinite, "backoff cap", backoffCap, "at least the backoff base")
        try check(maxWait >= 0 && maxWait <= 86_400 * 3, "max wait", maxWait, "0...259200 seconds")
        try check(maxUsedWeight > 0, "max used weight", maxUsedWeight, "a positive weight, below the exchange's limit (1200 binance.us, 6000 binance.com)")
        try check(requestTimeout > 0 && requestTimeout <= 600, "request timeout", requestTimeout, "0...600 seconds")
        try check(waitScale >= 0 && waitScale <= 1, "wait scale", waitScale, "0...1")
    }

    /// The backoff before attempt `failures + 1`, seconds: base × 2^(failures − 1), capped.
    public func backoff(afterFailures failures: Int) -> Double {
        guard failures > 0 else { return 0 }
        return min(backoffCap, backoffBase * Double(1 << min(failures - 1, 30)))
    }
}

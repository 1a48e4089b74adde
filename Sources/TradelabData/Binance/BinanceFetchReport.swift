/// What `BinanceFetcher.fetch` did: bars, where they came from, requests, waits and gaps.
public struct BinanceFetchReport: Sendable, Codable, Equatable {
    /// The symbol, upper-cased.
    public var symbol: String
    /// The Binance interval name.
    public var interval: String
    /// Start of the range, UTC ms.
    public var from: Int64
    /// End of the range as requested (exclusive), UTC ms.
    public var to: Int64
    /// End of the range actually covered (exclusive): `to`, or earlier when it lies past the last
    /// closed bar.
    public var coveredTo: Int64
    /// Bars now cached in `from..<coveredTo`.
    public var bars: Int
    /// Of those, bars that came from Binance in this run.
    public var barsFetched: Int
    /// Of those, bars that came from the cache.
    public var barsFromCache: Int
    /// Months requested from Binance (`2024-01`).
    public var monthsFetched: [String]
    /// Months answered by the cache alone.
    public var monthsFromCache: [String]
    /// HTTP requests sent, retries included.
    public var requests: Int
    /// Retries after transient failures.
    public var retries: Int
    /// Rate-limit pauses (429/418 Retry-After, used weight near the limit).
    public var rateLimitPauses: Int
    /// Seconds spent waiting (nominal: before any test scaling).
    public var waitedSeconds: Double
    /// Missing bars between bars Binance sent, oldest first.
    public var gaps: [KlineGap]
    /// Partition files of the range, relative to the data directory.
    public var files: [String]
    /// Things worth knowing: no bars before the listing, an unusable cached month re-fetched, ...
    public var notes: [String]

    /// Bars missing in all gaps.
    public var missingBars: Int { gaps.reduce(0) { $0 + $1.missingBars } }
}

/// Progress of a fetch, for a progress bar.
public struct BinanceFetchProgress: Sendable, Equatable {
    /// The month being worked on.
    public var month: UTCMonth
    /// Months finished so far.
    public var monthsDone: Int
    /// Months in the range.
    public var monthCount: Int
    /// Pages received so far in this run.
    public var pages: Int
    /// Bars received so far in this run.
    public var barsFetched: Int
    /// Overall fraction done, 0...1 (months, and the part of the current month received).
    public var fraction: Double
}

import TradelabCore

extension Timeframe {
    /// The name Binance's `/api/v3/klines` uses for this timeframe: `1m 5m 15m 30m 1h 4h 1d 1w`.
    ///
    /// Binance's names happen to equal Tradelab's for all eight; the mapping is spelled out so a
    /// future timeframe (or Binance's `1M`, which Tradelab has no twin for) is a deliberate choice.
    public var binanceInterval: String {
        switch self {
        case .m1: "1m"
        case .m5: "5m"
        case .m15: "15m"
        case .m30: "30m"
        case .h1: "1h"
        case .h4: "4h"
        case .d1: "1d"
        case .w1: "1w"
        }
    }

    /// The timeframe whose Binance interval name is `name`, if Tradelab has one.
    public init?(binanceInterval name: String) {
        guard let tf = Timeframe.allCases.first(where: { $0.binanceInterval == name }) else { return nil }
        self = tf
    }

    /// The first open time of this timeframe at or after `time` (bars are aligned to UTC
    /// boundaries, weekly ones to Mondays).
    func firstOpen(atOrAfter time: Int64) -> Int64 {
        let start = bucketStart(time)
        return start == time ? time : start + milliseconds
    }

    /// How many bars open in `range`: the bars an exchange without outages has there.
    /// - Complexity: O(1).
    public func expectedBars(in range: Range<Int64>) -> Int {
        let first = firstOpen(atOrAfter: range.lowerBound)
        guard first < range.upperBound else { return 0 }
        return Int((range.upperBound - first + milliseconds - 1) / milliseconds)
    }
}

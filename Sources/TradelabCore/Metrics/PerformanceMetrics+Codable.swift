/// `Codable` with JSON-safe numbers: non-finite values (``PerformanceMetrics/profitFactor`` can be
/// `+infinity`) are written as the strings "Infinity", "-Infinity" and "NaN" and read back from
/// them, so a default `JSONEncoder` never throws on metrics. Finite numbers are plain numbers and
/// nil values are written as `null`.
extension PerformanceMetrics: Codable {
    enum CodingKeys: String, CodingKey {
        case start, end, durationMilliseconds, barCount, periodsPerYear, riskFreeRate
        case initialEquity, finalEquity, peakEquity, totalReturn, buyAndHoldReturn, cagr
        case annualizedReturn, annualizedVolatility, sharpeRatio, sortinoRatio, calmarRatio
        case maxDrawdown, maxDrawdownDurationMilliseconds, maxDrawdownDurationBars, exposure
        case commissions, monthlyReturns
        case tradeCount, openTradeCount, winningTradeCount, losingTradeCount, winRate
        case grossProfit, grossLoss, profitFactor, expectancy, expectancyReturn
        case averageWin, averageLoss, averageWinReturn, averageLossReturn, largestWin, largestLoss
        case bestTradeReturn, worstTradeReturn, sqn
        case averageHoldBars, averageHoldMilliseconds, longestHoldMilliseconds, longestHoldBars
    }

    /// Reads metrics written by ``encode(to:)``; numbers may also be "Infinity", "-Infinity", "NaN".
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func number(_ key: CodingKeys) throws -> Double { try c.decodeNumber(forKey: key) }
        func optionalNumber(_ key: CodingKeys) throws -> Double? { try c.decodeNumberIfPresent(forKey: key) }
        start = try c.decodeIfPresent(Int64.self, forKey: .start)
        end = try c.decodeIfPresent(Int64.self, forKey: .end)
        durationMilliseconds = try c.decode(Int64.self, forKey: .durationMilliseconds)
        barCount = try c.decode(Int.self, forKey: .barCount)
        periodsPerYear = try optionalNumber(.periodsPerYear)
        riskFreeRate = try number(.riskFreeRate)
        initialEquity = try number(.initialEquity)
        finalEquity = try number(.finalEquity)
        peakEquity = try number(.peakEquity)
        totalReturn = try number(.totalReturn)
        buyAndHoldReturn = try optionalNumber(.buyAndHoldReturn)
        cagr = try optionalNumber(.cagr)
        annualizedReturn = try optionalNumber(.annualizedReturn)
        annualizedVolatility = try optionalNumber(.annualizedVolatility)
        sharpeRatio = try optionalNumber(.sharpeRatio)
        sortinoRatio = try optionalNumber(.sortinoRatio)
        calmarRatio = try optionalNumber(.calmarRatio)
        maxDrawdown = try number(.maxDrawdown)
        maxDrawdownDurationMilliseconds = try c.decode(Int64.self, forKey: .maxDrawdownDurationMilliseconds)
        maxDrawdownDurationBars = try c.decode(Int.self, forKey: .maxDrawdownDurationBars)
        exposure = try number(.exposure)
        commissions = try number(.commissions)
        monthlyReturns = try c.decode([MonthlyReturn].self, forKey: .monthlyReturns)
        tradeCount = try c.decode(Int.self, forKey: .tradeCount)
        openTradeCount = try c.decode(Int.self, forKey: .openTradeCount)
        winningTradeCount = try c.decode(Int.self, forKey: .winningTradeCount)
        losingTradeCount = try c.decode(Int.self, forKey: .losingTradeCount)
        winRate = try optionalNumber(.winRate)
        grossProfit = try number(.grossProfit)
        grossLoss = try number(.grossLoss)
        profitFactor = try optionalNumber(.profitFactor)
        expectancy = try optionalNumber(.expectancy)
        expectancyReturn = try optionalNumber(.expectancyReturn)
        averageWin = try optionalNumber(.averageWin)
        averageLoss = try optionalNumber(.averageLoss)
        averageWinReturn = try optionalNumber(.averageWinReturn)
        averageLossReturn = try optionalNumber(.averageLossReturn)
        largestWin = try optionalNumber(.largestWin)
        largestLoss = try optionalNumber(.largestLoss)
        bestTradeReturn = try optionalNumber(.bestTradeReturn)
        worstTradeReturn = try optionalNumber(.worstTradeReturn)
        sqn = try optionalNumber(.sqn)
        averageHoldBars = try optionalNumber(.averageHoldBars)
        averageHoldMilliseconds = try optionalNumber(.averageHoldMilliseconds)
        longestHoldMilliseconds = try c.decodeIfPresent(Int64.self, forKey: .longestHoldMilliseconds)
        longestHoldBars = try c.decodeIfPresent(Int.self, forKey: .longestHoldBars)
    }

    /// Writes every metric; nil as `null`, non-finite numbers as "Infinity", "-Infinity", "NaN".
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        func number(_ value: Double?, _ key: CodingKeys) throws { try c.encodeNumber(value, forKey: key) }
        try c.encode(start, forKey: .start)
        try c.encode(end, forKey: .end)
        try c.encode(durationMilliseconds, forKey: .durationMilliseconds)
        try c.encode(barCount, forKey: .barCount)
        try number(periodsPerYear, .periodsPerYear)
        try number(riskFreeRate, .riskFreeRate)
        try number(initialEquity, .initialEquity)
        try number(finalEquity, .finalEquity)
        try number(peakEquity, .peakEquity)
        try number(totalReturn, .totalReturn)
        try number(buyAndHoldReturn, .buyAndHoldReturn)
        try number(cagr, .cagr)
        try number(annualizedReturn, .annualizedReturn)
        try number(annualizedVolatility, .annualizedVolatility)
        try number(sharpeRatio, .sharpeRatio)
        try number(sortinoRatio, .sortinoRatio)
        try number(calmarRatio, .calmarRatio)
        try number(maxDrawdown, .maxDrawdown)
        try c.encode(maxDrawdownDurationMilliseconds, forKey: .maxDrawdownDurationMilliseconds)
        try c.encode(maxDrawdownDurationBars, forKey: .maxDrawdownDurationBars)
        try number(exposure, .exposure)
        try number(commissions, .commissions)
        try c.encode(monthlyReturns, forKey: .monthlyReturns)
        try c.encode(tradeCount, forKey: .tradeCount)
        try c.encode(openTradeCount, forKey: .openTradeCount)
        try c.encode(winningTradeCount, forKey: .winningTradeCount)
        try c.encode(losingTradeCount, forKey: .losingTradeCount)
        try number(winRate, .winRate)
        try number(grossProfit, .grossProfit)
        try number(grossLoss, .grossLoss)
        try number(profitFactor, .profitFactor)
        try number(expectancy, .expectancy)
        try number(expectancyReturn, .expectancyReturn)
        try number(averageWin, .averageWin)
        try number(averageLoss, .averageLoss)
        try number(averageWinReturn, .averageWinReturn)
        try number(averageLossReturn, .averageLossReturn)
        try number(largestWin, .largestWin)
        try number(largestLoss, .largestLoss)
        try number(bestTradeReturn, .bestTradeReturn)
        try number(worstTradeReturn, .worstTradeReturn)
        try number(sqn, .sqn)
        try number(averageHoldBars, .averageHoldBars)
        try number(averageHoldMilliseconds, .averageHoldMilliseconds)
        try c.encode(longestHoldMilliseconds, forKey: .longestHoldMilliseconds)
        try c.encode(longestHoldBars, forKey: .longestHoldBars)
    }
}

extension KeyedEncodingContainer {
    /// Encodes a finite number as a number, a non-finite one as "Infinity", "-Infinity" or "NaN",
    /// nil as `null`.
    fileprivate mutating func encodeNumber(_ value: Double?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        if value.isFinite {
            try encode(value, forKey: key)
        } else {
            try encode(value.isNaN ? "NaN" : value > 0 ? "Infinity" : "-Infinity", forKey: key)
        }
    }
}

extension KeyedDecodingContainer {
    /// Decodes a number written by `encodeNumber`; nil for `null` or a missing key.
    fileprivate func decodeNumberIfPresent(forKey key: Key) throws -> Double? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try decodeNumber(forKey: key)
    }

    /// Decodes a number, or one of the strings "Infinity", "-Infinity", "NaN".
    fileprivate func decodeNumber(forKey key: Key) throws -> Double {
        if let value = try? decode(Double.self, forKey: key) { return value }
        switch try decode(String.self, forKey: key) {
        case "Infinity", "+Infinity", "inf": return .infinity
        case "-Infinity", "-inf": return -.infinity
        case "NaN", "nan": return .nan
        case let other:
            throw DecodingError.dataCorruptedError(forKey: key, in: self,
                                                   debugDescription: "expected a number, \"Infinity\", \"-Infinity\" or \"NaN\", found \"\(other)\"")
        }
    }
}

/// A curated symbol of the synthetic sample data and the parameters its bars are drawn with.
///
/// The parameters are round, plausible figures (early-2024 price levels, typical volatilities);
/// the bars generated from them are **synthetic, not market data**.
public struct SampleSymbol: Sendable, Equatable, Hashable {
    /// Ticker, e.g. `BTCUSDT`, `AAPL`, `EURUSD`.
    public let name: String
    /// Market kind; decides the session.
    public let category: SampleCategory
    /// Price at the start of a generated series.
    public let basePrice: Double
    /// Annualised volatility of log returns (0.55 = 55 %), over ``SampleCategory/minutesPerYear``.
    public let annualVolatility: Double
    /// Annualised drift of the price (0.1 = +10 % a year in expectation).
    public let annualDrift: Double
    /// Average volume of a one-minute bar (coins, shares, or ticks for forex).
    public let typicalVolume: Double
    /// Prices are multiples of `10^-priceDecimals` (the tick).
    public let priceDecimals: Int
    /// Volumes are multiples of `10^-volumeDecimals`.
    public let volumeDecimals: Int

    /// Creates a symbol specification.
    /// - Precondition: `basePrice > 0`, `annualVolatility >= 0`, `typicalVolume >= 0`, decimals in `0...12`.
    public init(name: String, category: SampleCategory, basePrice: Double, annualVolatility: Double,
                annualDrift: Double, typicalVolume: Double, priceDecimals: Int, volumeDecimals: Int) {
        precondition(basePrice > 0 && annualVolatility >= 0 && typicalVolume >= 0, "SampleSymbol \(name): invalid parameters")
        precondition((0...12).contains(priceDecimals) && (0...12).contains(volumeDecimals), "SampleSymbol \(name): decimals must be 0...12")
        self.name = name
        self.category = category
        self.basePrice = basePrice
        self.annualVolatility = annualVolatility
        self.annualDrift = annualDrift
        self.typicalVolume = typicalVolume
        self.priceDecimals = priceDecimals
        self.volumeDecimals = volumeDecimals
    }

    /// The price tick, `10^-priceDecimals`.
    public var tickSize: Double { 1 / SampleSymbol.powerOfTen(priceDecimals) }

    static func powerOfTen(_ n: Int) -> Double {
        var p = 1.0
        for _ in 0..<n { p *= 10 }
        return p
    }
}

import Foundation
import TradelabCore

/// One Binance kline (candlestick) as `/api/v3/klines` sends it.
///
/// On the wire a kline is a 12-element JSON array: open time (ms, number), open, high, low,
/// close, volume (strings), close time (ms), quote asset volume (string), number of trades
/// (number), taker buy base and quote asset volumes (strings), and an ignored field.
public struct BinanceKline: Sendable, Equatable, Decodable {
    /// Open time, UTC milliseconds.
    public var openTime: Int64
    /// Opening price.
    public var open: Double
    /// Highest price.
    public var high: Double
    /// Lowest price.
    public var low: Double
    /// Closing price.
    public var close: Double
    /// Base asset volume.
    public var volume: Double
    /// Close time, UTC milliseconds (open time + interval − 1).
    public var closeTime: Int64
    /// Quote asset volume.
    public var quoteVolume: Double
    /// Number of trades.
    public var trades: Int
    /// Taker buy base asset volume.
    public var takerBuyBase: Double
    /// Taker buy quote asset volume.
    public var takerBuyQuote: Double

    /// Creates a kline.
    public init(openTime: Int64, open: Double, high: Double, low: Double, close: Double, volume: Double,
                closeTime: Int64, quoteVolume: Double, trades: Int, takerBuyBase: Double, takerBuyQuote: Double) {
        self.openTime = openTime
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.closeTime = closeTime
        self.quoteVolume = quoteVolume
        self.trades = trades
        self.takerBuyBase = takerBuyBase
        self.takerBuyQuote = takerBuyQuote
    }

    /// Decodes the 12-element wire array. Decimal fields are accepted as strings (Binance's
    /// form) or numbers.
    /// - Throws: `DecodingError` for a short array or a field that is no number.
    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        func decimal(_ field: String) throws -> Double {
            if let text = try? c.decode(String.self) {
                guard let value = Double(text) else {
                    throw DecodingError.dataCorruptedError(in: c, debugDescription: "\(field) '\(text)' is not a number")
                }
                return value
            }
            return try c.decode(Double.self)
        }
        openTime = try c.decode(Int64.self)
        open = try decimal("open")
        high = try decimal("high")
        low = try decimal("low")
        close = try decimal("close")
        volume = try decimal("volume")
        closeTime = try c.decode(Int64.self)
        quoteVolume = try decimal("quote asset volume")
        trades = try c.decode(Int.self)
        takerBuyBase = try decimal("taker buy base volume")
        takerBuyQuote = try decimal("taker buy quote volume")
    }

    /// Decodes a `/api/v3/klines` response body.
    /// - Throws: ``BinanceError`` (`.malformedResponse`) saying what could not be read.
    public static func decodePage(_ body: Data) throws(BinanceError) -> [BinanceKline] {
        do {
            return try JSONDecoder().decode([BinanceKline].self, from: body)
        } catch let error as DecodingError {
            throw .malformedResponse(reason: Self.describe(error, bytes: body.count))
        } catch {
            throw .malformedResponse(reason: "\(error)")
        }
    }

    private static func describe(_ error: DecodingError, bytes: Int) -> String {
        switch error {
        case .dataCorrupted(let context):
            let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return "\(bytes)-byte body is not a kline array\(path.isEmpty ? "" : " at [\(path)]"): \(context.debugDescription)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context):
            let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return "kline field [\(path)]: \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// Names of the feature columns the cache keeps besides OHLCV (the names ``CSVLoader`` gives
    /// the same columns of a headerless Binance kline file).
    public static let featureNames = ["quote_asset_volume", "number_of_trades", "taker_buy_base_asset_volume", "taker_buy_quote_asset_volume"]
}

extension BarSeries {
    /// The klines as a validated series: OHLCV plus the quote volume, trades and taker buy
    /// volumes as feature columns (``BinanceKline/featureNames``).
    /// - Parameter klines: Strictly increasing open times.
    /// - Throws: ``MarketDataError`` naming the first bad kline (out of order, low above high...).
    public init(klines: [BinanceKline]) throws(MarketDataError) {
        let names = BinanceKline.featureNames
        try self.init(
            timestamps: klines.map(\.openTime), open: klines.map(\.open), high: klines.map(\.high),
            low: klines.map(\.low), close: klines.map(\.close), volume: klines.map(\.volume),
            features: [
                (names[0], klines.map(\.quoteVolume)), (names[1], klines.map { Double($0.trades) }),
                (names[2], klines.map(\.takerBuyBase)), (names[3], klines.map(\.takerBuyQuote)),
            ])
    }
}

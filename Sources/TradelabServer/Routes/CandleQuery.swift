import Hummingbird
import TradelabCore

extension Request {
    /// Most indicators one candles request may ask for.
    static let maximumCandleIndicators = 16

    /// The `indicators` query parameter: specs separated by `;` (`rsi:14;macd:12,26,9`).
    /// - Throws: ``APIError`` 400 naming the spec at fault, or too many specs.
    func indicatorSpecs() throws(APIError) -> [IndicatorSpec] {
        guard let text = string("indicators") else { return [] }
        let parts = text.split(separator: ";").map(String.init).filter { !$0.allSatisfy(\.isWhitespace) }
        guard parts.count <= Self.maximumCandleIndicators else {
            throw APIError.badRequest("query parameter 'indicators' names \(parts.count) indicators; at most \(Self.maximumCandleIndicators)",
                                      code: "invalid_value")
        }
        var specs: [IndicatorSpec] = []
        for part in parts {
            do { specs.append(try IndicatorSpec(parsing: part)) } catch {
                throw APIError.badRequest("query parameter 'indicators': \(error.description)", code: "invalid_value")
            }
        }
        return specs
    }

    /// The `start` and `end` query parameters (dates, ISO 8601 times or epoch seconds) as a
    /// window of UTC milliseconds, the end exclusive; nil when neither is given.
    /// - Throws: ``APIError`` 400 for an unreadable time or an end before the start.
    func timeWindow() throws(APIError) -> Range<Int64>? {
        func milliseconds(_ name: String) throws(APIError) -> Int64? {
            guard let text = string(name) else { return nil }
            do { return try UTCTime.parse(text) } catch {
                throw APIError.badRequest("query parameter '\(name)': \(error.reason)", code: "invalid_value")
            }
        }
        let start = try milliseconds("start"), end = try milliseconds("end")
        guard start != nil || end != nil else { return nil }
        let from = start ?? .min, to = end ?? .max
        guard from <= to else {
            throw APIError.badRequest("query parameter 'end' is before 'start'", code: "invalid_value")
        }
        return from..<to
    }
}

import Hummingbird
import HummingbirdWebSocket

/// The request context of every route (it can upgrade to a WebSocket).
typealias AppContext = BasicWebSocketRequestContext

extension Request {
    /// An optional integer query parameter, refused with a message when it is not one or out of range.
    func integer(_ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let text = uri.queryParameters.get(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.badRequest("query parameter '\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound), was '\(text)'",
                                      code: "invalid_value")
        }
        return value
    }

    /// An optional string query parameter.
    func string(_ name: String) -> String? { uri.queryParameters.get(name) }
}

extension Parameters {
    /// The `:id` path parameter.
    func id() throws -> String { try require("id") }
}

import Foundation

/// An HTTP answer: status, headers (names lower-cased) and body.
public struct KlineHTTPResponse: Sendable, Equatable {
    /// The HTTP status code.
    public var status: Int
    /// Header fields, names lower-cased.
    public var headers: [String: String]
    /// The body.
    public var body: Data

    /// Creates a response; header names are lower-cased.
    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        self.body = body
    }

    /// The value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// A failure below HTTP: no answer, or an answer cut short.
public struct KlineTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What happened, e.g. "transfer closed with 450 bytes remaining to read".
    public var reason: String
    /// Whether trying again may help (dropped connections and timeouts: yes; a malformed URL: no).
    public var isTransient: Bool

    /// Creates an error.
    public init(reason: String, isTransient: Bool = true) {
        self.reason = reason
        self.isTransient = isTransient
    }

    /// The reason.
    public var description: String { reason }
}

/// Sends one GET request. The client's paging, retry and rate-limit logic sits on top, so it
/// can be tested against a stub; ``URLSessionKlineTransport`` is the real one.
public protocol KlineTransport: Sendable {
    /// Performs `GET url`.
    /// - Parameters:
    ///   - url: The full URL, query included.
    ///   - timeout: Seconds without progress before giving up.
    /// - Returns: The answer, whatever its status.
    /// - Throws: ``KlineTransportError`` when no complete answer arrived.
    func get(_ url: URL, timeout: Double) async throws(KlineTransportError) -> KlineHTTPResponse
}

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// ``KlineTransport`` over Foundation's `URLSession` (libcurl on Linux): no caching, no
/// cookies, every answer returned as it came.
public struct URLSessionKlineTransport: KlineTransport {
    private let session: URLSession

    /// Creates a transport with an ephemeral session.
    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpShouldSetCookies = false
        configuration.httpAdditionalHeaders = ["User-Agent": "tradelab/binance-fetch", "Accept": "application/json"]
        session = URLSession(configuration: configuration)
    }

    /// Performs `GET url`.
    /// - Throws: ``KlineTransportError``: transient for timeouts, refused or dropped
    ///   connections and truncated bodies; permanent for URLs curl cannot use.
    public func get(_ url: URL, timeout: Double) async throws(KlineTransportError) -> KlineHTTPResponse {
        var request = URLRequest(url: url)
        request.cachePolicy = .reloadIgnoringLocalCacheData
        // Set as a property: on Linux, URLRequest(url:cachePolicy:timeoutInterval:) ignores the timeout.
        request.timeoutInterval = timeout
        request.httpMethod = "GET"
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch let error as URLError {
            let permanent: Set<URLError.Code> = [.badURL, .unsupportedURL, .cancelled]
            throw KlineTransportError(reason: Self.describe(error), isTransient: !permanent.contains(error.code))
        } catch {
            throw KlineTransportError(reason: "\(error)")
        }
        guard let http = response as? HTTPURLResponse else {
            throw KlineTransportError(reason: "not an HTTP response from \(url.host ?? url.absoluteString)")
        }
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
        }
        return KlineHTTPResponse(status: http.statusCode, headers: headers, body: data)
    }

    static func describe(_ error: URLError) -> String {
        switch error.code {
        case .timedOut: "timed out"
        case .cannotConnectToHost: "cannot connect (\(error.localizedDescription))"
        case .networkConnectionLost: "connection lost"
        default: error.localizedDescription
        }
    }
}

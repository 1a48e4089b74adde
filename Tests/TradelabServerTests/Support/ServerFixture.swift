import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TradelabData
@testable import TradelabServer

/// A server over fresh temporary folders: 5 days of sample bars for two symbols, a copy of the
/// repository's strategies, an empty state folder, and the built `tradelab` as worker.
struct ServerFixture {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    let root: String
    var configuration: ServerConfiguration

    init(token: String? = nil) throws {
        root = NSTemporaryDirectory() + "tradelab-server-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        _ = try SampleData.writeAll(to: root + "/data", days: 5, symbols: ["BTCUSDT", "AAPL"].compactMap(SampleData.symbol(named:)))
        try FileManager.default.copyItem(atPath: Self.repository + "/strategies", toPath: root + "/strategies")
        configuration = ServerConfiguration(dataDirectory: root + "/data", strategiesDirectory: root + "/strategies",
                                            stateDirectory: root + "/state", webDirectory: nil,
                                            workerExecutable: Self.repository + "/.build/debug/tradelab")
        configuration.token = token
    }

    /// Runs `body` against the router (no sockets).
    func withRouter<T>(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        let (application, _) = try buildApplication(configuration: configuration)
        return try await application.test(.router) { client in try await body(client) }
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}

extension TestResponse {
    /// The body as a JSON object.
    var json: [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] else { return [:] }
        return object
    }

    /// The `error.code` of an error body.
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }

    /// The `error.message` of an error body.
    var errorMessage: String { (json["error"] as? [String: Any])?["message"] as? String ?? "" }

    /// The body as text.
    var text: String { String(buffer: body) }
}

extension TestClientProtocol {
    /// Sends a JSON body.
    func send(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    /// Sends an object as JSON.
    func send(_ method: HTTPRequest.Method, _ uri: String, object: [String: Any]) async throws -> TestResponse {
        let data = try JSONSerialization.data(withJSONObject: object)
        return try await execute(uri: uri, method: method, body: ByteBuffer(bytes: data))
    }
}

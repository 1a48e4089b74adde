import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TradelabServer

@Suite("OpenAPI document")
struct OpenAPITests {
    /// "GET /api/backtest/*/results": path parameters and catch-alls as `*`.
    static func normalize(_ method: String, _ path: String) -> String {
        let parts = path.split(separator: "/").map { part -> String in
            part.hasPrefix(":") || part.hasPrefix("{") || part == "**" ? "*" : String(part)
        }
        return method.uppercased() + " /" + parts.joined(separator: "/")
    }

    @Test func documentsExactlyTheRegisteredRoutes() throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        let services = try ServerServices(configuration: fixture.configuration)
        let registered = Set(buildRouter(services: services).routes.map { Self.normalize($0.method.rawValue, $0.path.description) })
        let document = try JSONSerialization.jsonObject(with: OpenAPIDocument.data()) as? [String: Any] ?? [:]
        #expect((document["openapi"] as? String)?.hasPrefix("3.") == true)
        var documented = Set<String>()
        for (path, item) in document["paths"] as? [String: [String: Any]] ?? [:] {
            for method in item.keys where ["get", "post", "put", "delete", "patch"].contains(method) {
                documented.insert(Self.normalize(method, path))
            }
        }
        #expect(registered.subtracting(documented).isEmpty, "registered but not documented: \(registered.subtracting(documented).sorted())")
        #expect(documented.subtracting(registered).isEmpty, "documented but not registered: \(documented.subtracting(registered).sorted())")
    }

    @Test func isServed() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.withRouter { client in
            let response = try await client.send(.get, "/api/openapi.json")
            #expect(response.status == .ok)
            #expect(response.json["paths"] != nil)
        }
    }
}

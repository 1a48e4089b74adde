import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TradelabServer

@Suite("Strategy routes")
struct StrategyRouteTests {
    static let script = """
    -- @name Test strategy
    -- @description For the route tests.
    -- @indicators sma
    -- @param fast 5 [2, 50]
    function on_init(ctx)
      s = ta.sma(params.fast)
      e = ta.ema(20)
    end

    function on_bar(ctx, bar)
      if s.value and bar.close > s.value then return "buy" end
      return "hold"
    end
    """

    @Test func createReadUpdateRenameDelete() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.withRouter { client in
            let created = try await client.send(.post, "/api/strategies", object: ["name": "mine/first", "code": Self.script])
            #expect(created.status == .created)
            #expect(created.json["name"] as? String == "mine/first")
            #expect(created.json["folder"] as? String == "mine")
            #expect(created.json["isValid"] as? Bool == true)
            #expect(created.json["indicators"] as? [String] == ["sma", "ema"])
            #expect((created.json["metadata"] as? [String: Any])?["name"] as? String == "Test strategy")

            let duplicate = try await client.send(.post, "/api/strategies", object: ["name": "mine/first", "code": "-- x"])
            #expect(duplicate.status == .conflict)

            for uri in ["/api/strategies/mine/first", "/api/strategies/mine%2Ffirst"] {
                let read = try await client.send(.get, uri)
                #expect(read.status == .ok, "\(uri)")
                #expect(read.json["code"] as? String == Self.script)
            }
            let list = try await client.send(.get, "/api/strategies")
            let names = (list.json["strategies"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
            #expect(names.contains("mine/first") && names.contains("examples/sma_cross") && names.contains("templates/macd"))
            #expect((list.json["strategies"] as? [[String: Any]])?.allSatisfy { $0["code"] == nil } == true)

            let updated = try await client.send(.put, "/api/strategies/mine/first",
                                                object: ["code": Self.script + "\n-- edited\n", "newName": "mine/second"])
            #expect(updated.status == .ok)
            #expect(updated.json["name"] as? String == "mine/second")
            #expect(try await client.send(.get, "/api/strategies/mine/first").status == .notFound)
            let path = fixture.configuration.strategiesDirectory + "/mine/second.lua"
            #expect(try String(contentsOfFile: path, encoding: .utf8).hasSuffix("-- edited\n"))

            #expect(try await client.send(.delete, "/api/strategies/mine/second").status == .noContent)
            #expect(try await client.send(.delete, "/api/strategies/mine/second").status == .notFound)
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test(arguments: [
        "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2Fsecret", "..", "a/../../b", "%2Fetc%2Fpasswd", "a%5Cb", "x%00y", ".hidden",
        "%252e%252e%252Fx", "a//b", "a/b/c/d/e",
    ])
    func traversalAttemptsAreRefused(name: String) async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        let outside = fixture.root + "/secret.lua"
        try "-- secret".write(toFile: outside, atomically: true, encoding: .utf8)
        try await fixture.withRouter { client in
            for method in [HTTPRequest.Method.get, .delete] {
                let response = try await client.send(method, "/api/strategies/\(name)")
                #expect(response.status == .badRequest || response.status == .notFound, "\(method) \(name): \(response.status)")
                #expect(response.errorCode != nil)
                #expect(!response.text.contains("-- secret"))
            }
            let put = try await client.send(.put, "/api/strategies/\(name)", object: ["code": "-- overwritten"])
            #expect(put.status == .badRequest || put.status == .notFound)
            let post = try await client.send(.post, "/api/strategies", object: ["name": name.removingPercentEncoding ?? name, "code": "-- x"])
            #expect(post.status == .badRequest, "create \(name): \(post.text)")
        }
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == "-- secret")
    }

    @Test func symbolicLinksCannotLeaveTheFolder() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try FileManager.default.createDirectory(atPath: fixture.root + "/outside", withIntermediateDirectories: true)
        try "-- outside".write(toFile: fixture.root + "/outside/x.lua", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: fixture.configuration.strategiesDirectory + "/link",
                                                   withDestinationPath: fixture.root + "/outside")
        try await fixture.withRouter { client in
            let response = try await client.send(.get, "/api/strategies/link/x")
            #expect(response.status == .badRequest)
            #expect(response.errorCode == "invalid_name")
        }
    }

    @Test func validationReportsDiagnosticsWithLines() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.withRouter { client in
            let broken = Self.script.replacingOccurrences(of: "return \"hold\"", with: "return \"hold\" +")
            let response = try await client.send(.post, "/api/strategies/validate", object: ["code": broken, "name": "draft"])
            #expect(response.status == .ok)
            #expect(response.json["isValid"] as? Bool == false)
            let diagnostics = response.json["diagnostics"] as? [[String: Any]] ?? []
            #expect(diagnostics.contains { $0["severity"] as? String == "error" && ($0["line"] as? Int ?? 0) >= 12 })
            #expect(response.json["fileName"] as? String == "draft.lua")

            let saved = try await client.send(.post, "/api/strategies/examples/sma_cross/validate")
            #expect(saved.status == .ok)
            #expect(saved.json["isValid"] as? Bool == true)
            #expect(try await client.send(.post, "/api/strategies/examples/none/validate").status == .notFound)
        }
    }

    @Test func templatesComeWithCodeAndDescriptions() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.withRouter { client in
            let response = try await client.send(.get, "/api/templates")
            let templates = response.json["templates"] as? [[String: Any]] ?? []
            #expect(templates.count == 6)
            #expect(templates.allSatisfy { !($0["code"] as? String ?? "").isEmpty && !($0["title"] as? String ?? "").isEmpty })
            #expect(templates.contains { $0["name"] as? String == "templates/macd" && ($0["description"] as? String ?? "").contains("MACD") })
        }
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TradelabServer

@Suite("Errors, limits and access")
struct ErrorAndLimitTests {
    @Test func unknownRouteIsAJSONNotFound() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.withRouter { client in
            let response = try await client.send(.get, "/api/nothing-here")
            #expect(response.status == .notFound)
            #expect(response.errorCode == "not_found")
            #expect(response.errorMessage.contains("/api/nothing-here"))
        }
    }

    @Test func malformedJSONIsRefusedWithItsReason() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.withRouter { client in
            for body in ["{\"strategy\": ", "[1,2]", "not json", ""] {
                let response = try await client.send(.post, "/api/backtest/run", json: body)
                #expect(response.status == .badRequest, "body \(body)")
                #expect(response.errorCode == "invalid_json", "body \(body)")
            }
        }
    }

    @Test func unknownFieldsAreNamedEvenWhenNested() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.withRouter { client in
            let response = try await client.send(.post, "/api/backtest/run", object: [
                "strategy": "sma-cross", "data": ["symbol": "BTCUSDT", "timeframe": "1h"],
                "account": ["comission": 0.001], "colour": "red",
            ])
            #expect(response.status == .badRequest)
            #expect(response.errorCode == "unknown_field")
            #expect(response.errorMessage.contains("account.comission"))
            #expect(response.errorMessage.contains("colour"))
        }
    }

    @Test func wrongTypesNameTheField() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.withRouter { client in
            let response = try await client.send(.post, "/api/backtest/run", object: [
                "strategy": "sma-cross", "data": ["symbol": "BTCUSDT", "timeframe": "1h"], "account": ["initialCapital": "lots"],
            ])
            #expect(response.status == .badRequest)
            #expect(response.errorCode == "invalid_value")
            #expect(response.errorMessage.contains("account.initialCapital"))
        }
    }

    @Test func oversizeBodiesAreRefusedWith413() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.withRouter { client in
            let code = String(repeating: "-- padding\n", count: 120_000)   // 1.3 MB
            let response = try await client.send(.post, "/api/strategies", object: ["name": "big", "code": code])
            #expect(response.status == .contentTooLarge)
            #expect(response.errorCode == "body_too_large")
            #expect(!FileManager.default.fileExists(atPath: fixture.configuration.strategiesDirectory + "/big.lua"))
        }
    }

    @Test func invalidRequestsExplainWhatIsWrong() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.withRouter { client in
            let cases: [([String: Any], HTTPResponse.Status, String)] = [
                (["data": ["symbol": "BTCUSDT", "timeframe": "1h"]], .badRequest, "'strategy'"),
                (["strategy": "sma-cross", "data": ["symbol": "NOPE", "timeframe": "1h"]], .notFound, "NOPE"),
                (["strategy": "sma-cross", "data": ["symbol": "BTCUSDT", "timeframe": "7q"]], .badRequest, "timeframe"),
                (["strategy": "sma-cross", "data": ["symbol": "BTCUSDT"]], .badRequest, "data.timeframe"),
                (["strategy": "sma-cross", "params": ["fast": -3], "data": ["symbol": "BTCUSDT", "timeframe": "1h"]], .badRequest, "fast"),
                (["strategy": "examples/sma_cross", "params": ["nope": 1], "data": ["symbol": "BTCUSDT", "timeframe": "1h"]], .badRequest, "nope"),
                (["strategy": "no/such", "data": ["symbol": "BTCUSDT", "timeframe": "1h"]], .notFound, "no/such"),
                (["code": "function on_bar(ctx, bar)\n  return 'buy'\n", "data": ["symbol": "BTCUSDT", "timeframe": "1h"]],
                 .unprocessableContent, ":3:"),
                (["strategy": "sma-cross", "data": ["symbol": "BTCUSDT", "timeframe": "1h"], "account": ["positionSizePercent": 150]],
                 .badRequest, "positionSizePercent"),
                (["strategy": "sma-cross", "data": ["symbol": "BTCUSDT", "timeframe": "1h"], "randomized": ["runs": 0, "duration": "1d"]],
                 .badRequest, "runs"),
                (["strategy": "sma-cross", "data": ["symbol": "BTCUSDT", "timeframe": "1h"], "randomized": ["runs": 3, "duration": "6d"]],
                 .badRequest, "longer than the data"),
                (["strategy": "sma-cross", "data": ["symbol": "BTCUSDT", "timeframe": "1h", "start": "2024-01-04"],
                  "randomized": ["runs": 3, "duration": "3d"]], .badRequest, "longer than the data"),
                (["strategy": "sma-cross", "data": ["dataset": "../state/tradelab.sqlite"]], .badRequest, "invalid path"),
                (["strategy": "sma-cross", "data": ["symbol": "BTCUSDT", "timeframe": "1h"], "baseline": "bt_missing"], .notFound, "bt_missing"),
            ]
            for (body, status, fragment) in cases {
                let response = try await client.send(.post, "/api/backtest/run", object: body)
                #expect(response.status == status, "\(body): \(response.text)")
                #expect(response.errorMessage.contains(fragment), "\(body): \(response.errorMessage)")
            }
            let listed = try await client.send(.get, "/api/backtest")
            #expect((listed.json["sessions"] as? [Any])?.isEmpty == true, "no session was created by a refused request")
        }
    }

    @Test func aTokenGuardsEveryRoute() async throws {
        let fixture = try ServerFixture(token: "s3cret")
        defer { fixture.remove() }
        try await fixture.withRouter { client in
            for uri in ["/api/engine", "/api/strategies", "/api/backtest", "/ws", "/api/openapi.json", "/"] {
                let response = try await client.send(.get, uri)
                #expect(response.status == .unauthorized, "\(uri)")
                #expect(response.errorCode == "unauthorized")
            }
            let wrong = try await client.send(.get, "/api/engine", headers: [.authorization: "Bearer s3cre7"])
            #expect(wrong.status == .unauthorized)
            let right = try await client.send(.get, "/api/engine", headers: [.authorization: "Bearer s3cret"])
            #expect(right.status == .ok)
            let query = try await client.send(.get, "/api/engine?token=s3cret")
            #expect(query.status == .ok)
            #expect(query.headers[.setCookie]?.contains("tradelab_token=s3cret") == true)
        }
    }

    /// The router test client always sends `localhost` as the authority; the Host check is
    /// exercised on a live socket in tests/server/test_security.py.
    @Test func otherSitesAreRefused() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.withRouter { client in
            let body = #"{"name": "evil", "code": "-- x"}"#
            let crossSite = try await client.send(.post, "/api/strategies", json: body,
                                                  headers: [.origin: "http://evil.example", .contentType: "application/json"])
            #expect(crossSite.status == .forbidden && crossSite.errorCode == "forbidden_origin")
            let plain = try await client.send(.post, "/api/strategies", json: body, headers: [.contentType: "text/plain"])
            #expect(plain.status == .unsupportedMediaType && plain.errorCode == "unsupported_media_type")
            #expect(!FileManager.default.fileExists(atPath: fixture.configuration.strategiesDirectory + "/evil.lua"))
            let sameSite = try await client.send(.post, "/api/strategies", json: body,
                                                 headers: [.origin: "http://localhost", .contentType: "application/json"])
            #expect(sameSite.status == .created)
        }
    }

    @Test(arguments: [("127.0.0.1:8080", true), ("localhost", true), ("LOCALHOST:1", true), ("[::1]:8080", true), ("127.0.0.1", true),
                      ("evil.example", false), ("evil.example:8080", false), ("127.0.0.1.evil.example", false), ("[::2]:80", false)])
    func onlyLoopbackHostsAreServed(host: String, allowed: Bool) {
        #expect(SameOriginMiddleware<AppContext>.isLoopback(host: host) == allowed)
    }

    @Test func aPublicBindWithoutATokenIsRefused() throws {
        var fixture = try ServerFixture()
        defer { fixture.remove() }
        fixture.configuration.host = "0.0.0.0"
        #expect(throws: ConfigurationError.self) { try fixture.configuration.validate() }
        fixture.configuration.token = "t"
        try fixture.configuration.validate()
    }

    @Test func responsesCarrySecurityHeaders() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.withRouter { client in
            let response = try await client.send(.get, "/api/engine")
            #expect(response.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
        }
    }
}

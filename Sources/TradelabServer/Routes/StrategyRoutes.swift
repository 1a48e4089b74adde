import Foundation
import Hummingbird
import TradelabLua

/// `/api/strategies` and `/api/templates`: the strategy files and the validator.
enum StrategyRoutes {
    struct CreateBody: Decodable { var name: String; var code: String }
    struct UpdateBody: Decodable { var code: String; var newName: String? }
    struct ValidateBody: Decodable { var code: String; var name: String? }

    static func register(on router: Router<AppContext>, services: ServerServices) {
        let library = services.library
        router.get("api/strategies") { _, _ -> Response in
            try JSONResponse.make(["strategies": library.list()])
        }
        router.post("api/strategies") { request, _ -> Response in
            let body = try await StrictJSON.decode(CreateBody.self, from: request, fields: .object(["name": .value, "code": .value]))
            return try JSONResponse.make(try library.create(try StrategyName(body.name), code: body.code), status: .created)
        }
        router.post("api/strategies/validate") { request, _ -> Response in
            let body = try await StrictJSON.decode(ValidateBody.self, from: request, fields: .object(["name": .value, "code": .value]))
            let fileName = try body.name.map { name throws(APIError) in try StrategyName(name).fileName } ?? "strategy.lua"
            return try JSONResponse.make(StrategyValidator.validate(body.code, fileName: fileName))
        }
        router.get("api/strategies/:name") { _, context -> Response in
            try JSONResponse.make(try library.get(try context.parameters.strategyName()))
        }
        router.put("api/strategies/:name") { request, context -> Response in
            let name = try context.parameters.strategyName()
            let body = try await StrictJSON.decode(UpdateBody.self, from: request, fields: .object(["code": .value, "newName": .value]))
            let newName = try body.newName.map { text throws(APIError) in try StrategyName(text) }
            return try JSONResponse.make(try library.update(name, code: body.code, newName: newName))
        }
        router.delete("api/strategies/:name") { _, context -> Response in
            try library.delete(try context.parameters.strategyName())
            return Response(status: .noContent)
        }
        router.post("api/strategies/:name/validate") { _, context -> Response in
            let name = try context.parameters.strategyName()
            return try JSONResponse.make(StrategyValidator.validate(try library.code(of: name), fileName: name.fileName))
        }
        router.get("api/templates") { _, _ -> Response in
            try JSONResponse.make(["templates": library.templates()])
        }
    }
}

/// Lets strategy names contain `/` in the URL (`/api/strategies/examples/sma_cross`): before
/// routing, the name's components are joined into one encoded path component, so the routes only
/// ever see `/api/strategies/:name` and `/api/strategies/:name/validate`. It wraps the router
/// (Hummingbird picks the route before any middleware runs).
struct StrategyPathResponderBuilder<Builder: HTTPResponderBuilder>: HTTPResponderBuilder {
    let router: Builder

    func buildResponder() -> StrategyPathResponder<Builder.Responder> {
        StrategyPathResponder(next: router.buildResponder())
    }
}

/// The responder of ``StrategyPathResponderBuilder``.
struct StrategyPathResponder<Next: HTTPResponder>: HTTPResponder {
    let next: Next

    func respond(to request: Request, context: Next.Context) async throws -> Response {
        try await next.respond(to: Self.rewrite(request), context: context)
    }

    /// `/api/strategies/a/b[/validate]` as `/api/strategies/a%2Fb[/validate]`; other paths unchanged.
    static func rewrite(_ request: Request) -> Request {
        let prefix = "/api/strategies/"
        let path = request.uri.path
        guard path.hasPrefix(prefix) else { return request }
        var parts = path.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let validate = request.method == .post && parts.count > 1 && parts.last == "validate"
        if validate { parts.removeLast() }
        guard parts.count > 1 else { return request }
        var head = request.head
        head.path = prefix + parts.joined(separator: "%2F") + (validate ? "/validate" : "") + (request.uri.query.map { "?" + $0 } ?? "")
        return Request(head: head, body: request.body)
    }
}

extension Parameters {
    /// The `:name` parameter as a validated strategy name, percent-decoded once (the router leaves
    /// path components encoded, and names with `/` arrive joined with `%2F`).
    func strategyName() throws -> StrategyName {
        let raw = try require("name")
        return try StrategyName(raw.removingPercentEncoding ?? raw)
    }
}

import Foundation
import Hummingbird

/// `/api/backtest`: create, control, list and read backtest sessions.
enum BacktestRoutes {
    static func register(on router: Router<AppContext>, services: ServerServices) {
        let manager = services.manager
        let group = router.group("api/backtest")
        group.post("run") { request, _ -> Response in
            let body = try await StrictJSON.decode(BacktestRequest.self, from: request, fields: BacktestRequest.fields)
            return try JSONResponse.make(try await services.createSession(body, start: true), status: .accepted)
        }
        group.post("create") { request, _ -> Response in
            let body = try await StrictJSON.decode(BacktestRequest.self, from: request, fields: BacktestRequest.fields)
            return try JSONResponse.make(try await services.createSession(body, start: false), status: .created)
        }
        group.get { request, _ -> Response in
            let status = try request.string("status").map { text throws(APIError) in
                guard let status = SessionStatus(rawValue: text) else {
                    throw APIError.badRequest("status must be one of \(SessionStatus.allCases.map(\.rawValue).joined(separator: ", ")), was '\(text)'",
                                              code: "invalid_value")
                }
                return status
            }
            let sessions = await manager.list(status: status, strategy: request.string("strategy"), symbol: request.string("symbol"),
                                              limit: try request.integer("limit", in: 1...10_000) ?? 200,
                                              offset: try request.integer("offset", in: 0...Int.max) ?? 0)
            return try JSONResponse.make(["sessions": sessions])
        }
        group.get(":id") { _, context -> Response in
            try JSONResponse.make(try await manager.session(try context.parameters.id()))
        }
        group.get(":id/status") { _, context -> Response in
            try JSONResponse.make(try await manager.status(try context.parameters.id()))
        }
        group.post(":id/start") { _, context -> Response in try JSONResponse.make(try await manager.start(try context.parameters.id())) }
        group.post(":id/pause") { _, context -> Response in try JSONResponse.make(try await manager.pause(try context.parameters.id())) }
        group.post(":id/resume") { _, context -> Response in try JSONResponse.make(try await manager.resume(try context.parameters.id())) }
        group.post(":id/stop") { _, context -> Response in try JSONResponse.make(try await manager.stop(try context.parameters.id())) }
        group.delete(":id") { _, context -> Response in
            try await manager.delete(try context.parameters.id())
            return Response(status: .noContent)
        }
        group.get(":id/results") { request, context -> Response in
            let maxPoints = try request.integer("maxPoints", in: 0...100_000_000) ?? 5000
            return JSONResponse.data(try await services.resultsBody(try context.parameters.id(), maxPoints: maxPoints))
        }
        group.get(":id/equity") { request, context -> Response in
            let results = try await services.results(try context.parameters.id())
            let maxPoints = try request.integer("maxPoints", in: 2...100_000_000)
            return try JSONResponse.make(maxPoints.map { results.equity.downsampled(to: $0) } ?? results.equity)
        }
        group.get(":id/trades") { request, context -> Response in
            struct Page: Encodable { var total: Int; var offset: Int; var trades: [RunResults.TradeRow] }
            let results = try await services.results(try context.parameters.id())
            let offset = try request.integer("offset", in: 0...Int.max) ?? 0
            let limit = try request.integer("limit", in: 1...100_000) ?? 1000
            return try JSONResponse.make(Page(total: results.trades.count, offset: offset,
                                              trades: Array(results.trades.dropFirst(offset).prefix(limit))))
        }
        group.get(":id/candles") { request, context -> Response in
            let maxPoints = try request.integer("maxPoints", in: 1...10_000_000)
            return try JSONResponse.make(try await services.candles(try context.parameters.id(), maxPoints: maxPoints))
        }
        group.get(":id/artifacts/**") { _, context -> Response in
            let id = try context.parameters.id()
            _ = try await manager.record(id)
            let relative = context.parameters.getCatchAll().joined(separator: "/")
            let path = try DataPath.resolve(relative, in: services.configuration.artifactsDirectory + "/" + id)
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let type = path.hasSuffix(".json") ? "application/json" : path.hasSuffix(".csv") ? "text/csv; charset=utf-8" : "application/octet-stream"
            let name = URL(fileURLWithPath: path).lastPathComponent
            return Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(id)-\(name)\""],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}

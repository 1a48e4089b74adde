import Foundation
import Hummingbird
import TradelabRun

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
        group.post(":id/pause") { _, context -> Response in
            let id = try context.parameters.id()
            _ = try await manager.pause(id)
            return try JSONResponse.make(try await settled(id, leaving: .pausing, manager: manager))
        }
        group.post(":id/resume") { _, context -> Response in try JSONResponse.make(try await manager.resume(try context.parameters.id())) }
        group.post(":id/stop") { _, context -> Response in
            let id = try context.parameters.id()
            _ = try await manager.stop(id)
            return try JSONResponse.make(try await settled(id, leaving: .stopping, manager: manager))
        }
        group.delete(":id") { _, context -> Response in
            try await manager.delete(try context.parameters.id())
            return Response(status: .noContent)
        }
        group.get(":id/results") { request, context -> Response in
            let maxPoints = try request.integer("maxPoints", in: 0...100_000_000) ?? RunArtifacts.defaultMaxPoints
            let tradesLimit = try request.integer("tradesLimit", in: 0...10_000_000) ?? RunArtifacts.defaultTradesLimit
            return JSONResponse.data(try await services.results.body(try context.parameters.id(), maxPoints: maxPoints, tradesLimit: tradesLimit))
        }
        group.get(":id/equity") { request, context -> Response in
            let maxPoints = try request.integer("maxPoints", in: 2...100_000_000)
            return try JSONResponse.make(try await services.results.equity(try context.parameters.id(), maxPoints: maxPoints))
        }
        group.get(":id/trades") { request, context -> Response in
            let offset = try request.integer("offset", in: 0...Int.max) ?? 0
            let limit = try request.integer("limit", in: 1...100_000) ?? 1000
            return try JSONResponse.make(try await services.results.trades(try context.parameters.id(), offset: offset, limit: limit))
        }
        group.get(":id/candles") { request, context -> Response in
            let maxPoints = try request.integer("maxPoints", in: 1...10_000_000)
            return try JSONResponse.make(try await services.results.candles(try context.parameters.id(), maxPoints: maxPoints,
                                                                            window: try request.timeWindow(), indicators: try request.indicatorSpecs()))
        }
        group.get(":id/artifacts/**") { _, context -> Response in
            let id = try context.parameters.id()
            let file = try await services.results.artifact(id, path: context.parameters.getCatchAll().joined(separator: "/"))
            let type = file.name.hasSuffix(".json") ? "application/json" : file.name.hasSuffix(".csv") ? "text/csv; charset=utf-8"
                : file.name.hasSuffix(".parquet") ? "application/vnd.apache.parquet" : "application/octet-stream"
            return Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(id)-\(file.name)\""],
                            body: .init(byteBuffer: ByteBuffer(bytes: file.data)))
        }
    }

    /// The session once it has left `transient` (a pause or stop the worker confirms within a
    /// slice), or as it is after two seconds: what the answer says is true when it is sent.
    private static func settled(_ id: String, leaving transient: SessionStatus, manager: BacktestManager) async throws -> SessionView {
        let deadline = Date().addingTimeInterval(2)
        while true {
            let view = try await manager.session(id)
            if view.status != transient || Date() >= deadline { return view }
            try await Task.sleep(nanoseconds: 2_000_000)
        }
    }
}

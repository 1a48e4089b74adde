import Foundation
import Hummingbird
import TradelabRun

/// `/api/optimize`: queue, list, follow, stop, read and delete optimizations.
enum OptimizeRoutes {
    static func register(on router: Router<AppContext>, services: ServerServices) {
        let manager = services.optimizations
        let group = router.group("api/optimize")
        group.post { request, _ -> Response in
            let body = try await StrictJSON.decode(OptimizeRequest.self, from: request, fields: OptimizeRequest.fields)
            return try JSONResponse.make(try await services.createOptimization(body), status: .accepted)
        }
        group.get { request, _ -> Response in
            let status = try request.string("status").map { text throws(APIError) in
                guard let status = OptimizationStatus(rawValue: text) else {
                    throw APIError.badRequest("status must be one of \(OptimizationStatus.allCases.map(\.rawValue).joined(separator: ", ")), was '\(text)'",
                                              code: "invalid_value")
                }
                return status
            }
            let list = await manager.list(status: status, strategy: request.string("strategy"), symbol: request.string("symbol"),
                                          limit: try request.integer("limit", in: 1...10_000) ?? 200,
                                          offset: try request.integer("offset", in: 0...Int.max) ?? 0)
            return try JSONResponse.make(["optimizations": list])
        }
        group.get(":id") { _, context -> Response in
            try JSONResponse.make(try await manager.optimization(try context.parameters.id()))
        }
        group.post(":id/stop") { _, context -> Response in
            let id = try context.parameters.id()
            _ = try await manager.stop(id)
            // What the answer says is true when it is sent: stopped, or still stopping after two seconds.
            let deadline = Date().addingTimeInterval(2)
            while true {
                let view = try await manager.optimization(id)
                if view.status != .stopping || Date() >= deadline { return try JSONResponse.make(view) }
                try await Task.sleep(nanoseconds: 5_000_000)
            }
        }
        group.get(":id/results") { _, context -> Response in
            let path = try await manager.resultsFile(try context.parameters.id())
            guard let data = FileManager.default.contents(atPath: path) else {
                throw APIError.notFound("the optimization's results are missing from the artifacts folder")
            }
            return JSONResponse.data(data)
        }
        group.delete(":id") { _, context -> Response in
            try await manager.delete(try context.parameters.id())
            return Response(status: .noContent)
        }
    }
}

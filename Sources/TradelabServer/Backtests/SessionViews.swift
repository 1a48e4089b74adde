import Foundation
import TradelabCore

/// A session as the API shows it (`GET /api/backtest/:id` and the list).
struct SessionView: Sendable, Encodable {
    struct Failure: Sendable, Encodable {
        var code: String
        var message: String
    }
    var id: String
    var name: String
    var status: SessionStatus
    var strategy: String
    var symbol: String?
    var timeframe: String?
    var createdAt: String
    var startedAt: String?
    var finishedAt: String?
    var progressPercent: Double
    var currentCandleIndex: Int
    var totalCandles: Int
    var queuePosition: Int?
    var error: Failure?
    var summary: JSONValue?
    /// The request as received (single-session responses only: it can hold a whole script).
    var request: JSONValue?
    var baselineRunId: String?

    init(_ r: SessionRecord, queuePosition: Int?, includeRequest: Bool = true) {
        id = r.id
        name = r.name
        status = r.status
        strategy = r.strategy
        symbol = r.symbol
        timeframe = r.timeframe
        createdAt = Self.iso(r.createdAt)
        startedAt = r.startedAt.map(Self.iso)
        finishedAt = r.finishedAt.map(Self.iso)
        progressPercent = Self.percent(r)
        currentCandleIndex = r.currentCandleIndex
        totalCandles = r.totalCandles
        self.queuePosition = queuePosition
        error = r.errorCode.map { Failure(code: $0, message: r.errorMessage ?? "") }
        summary = r.summary.flatMap { try? JSONCoding.decoder().decode(JSONValue.self, from: Data($0.utf8)) }
        request = includeRequest ? (try? JSONCoding.decoder().decode(JSONValue.self, from: Data(r.request.utf8))) : nil
        baselineRunId = r.baselineRunId
    }

    /// ISO 8601 UTC with milliseconds.
    static func iso(_ seconds: Double) -> String {
        let milliseconds = Int64((seconds * 1000).rounded())
        let text = UTCTime.format(milliseconds)
        return milliseconds % 1000 == 0 ? text.replacingOccurrences(of: "Z", with: ".000Z") : text
    }

    static func percent(_ r: SessionRecord) -> Double {
        if r.status == .completed { return 100 }
        return r.totalCandles > 0 ? Double(r.currentCandleIndex) * 100 / Double(r.totalCandles) : 0
    }
}

/// `GET /api/backtest/:id/status`.
struct StatusView: Sendable, Encodable {
    var id: String
    var status: SessionStatus
    var progressPercent: Double
    var currentCandleIndex: Int
    var totalCandles: Int
    var currentTime: String?
    var elapsedSeconds: Double
}

/// `GET /api/engine`.
struct EngineView: Sendable, Encodable {
    struct Workers: Sendable, Encodable {
        var max: Int
        var busy: Int
        var idle: Int
    }
    struct Cache: Sendable, Encodable {
        var entries: Int
        var bytes: Int
    }
    var version: String
    var uptimeSeconds: Double
    var workers: Workers
    var queueLength: Int
    var runsByStatus: [String: Int]
    var resultCache: Cache
    var liveClients: Int
}

import Foundation
import TradelabCore
import TradelabRun

/// A session as the API shows it (`GET /api/backtest/:id` and the list).
struct SessionView: Sendable, Encodable {
    /// Why a session failed.
    struct Failure: Sendable, Codable {
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
    /// The results' headline, once finished.
    var summary: RunResults?
    /// The request as received (single-session responses only: it can hold a whole script).
    var request: BacktestRequest?
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
        summary = r.summary
        request = includeRequest ? r.request : nil
        baselineRunId = r.baselineRunId
    }

    /// ISO 8601 UTC, as every time of the API.
    static func iso(_ seconds: Double) -> String { UTCTime.format(Int64((seconds * 1000).rounded())) }

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
    /// Seconds spent running, pauses excluded.
    var elapsedSeconds: Double
    /// The run's wall-clock limit in seconds (pauses excluded).
    var timeLimitSeconds: Double
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

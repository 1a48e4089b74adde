import TradelabCore
import TradelabRun

/// An optimization as the API shows it (`GET /api/optimize/:id` and the list).
struct OptimizationView: Sendable, Encodable {
    var id: String
    var name: String
    var status: OptimizationStatus
    var strategy: String
    var symbol: String?
    var timeframe: String?
    var method: String
    var objective: String
    var createdAt: String
    var startedAt: String?
    var finishedAt: String?
    /// Trials done and known so far.
    var trialsDone: Int
    var trialsTotal: Int
    var progressPercent: Double
    var queuePosition: Int?
    /// The best trial so far (the search's best once finished).
    var best: OptimizationTrial?
    /// Genetic searches: best and mean objective per generation so far.
    var generations: [ParameterSearch.Generation]?
    var error: SessionView.Failure?
    /// The request as received (single-optimization responses only: it can hold a whole script).
    var request: OptimizeRequest?

    init(_ r: OptimizationRecord, queuePosition: Int?, includeRequest: Bool = true) {
        id = r.id
        name = r.name
        status = r.status
        strategy = r.strategy
        symbol = r.symbol
        timeframe = r.timeframe
        method = r.method
        objective = r.objective
        createdAt = SessionView.iso(r.createdAt)
        startedAt = r.startedAt.map(SessionView.iso)
        finishedAt = r.finishedAt.map(SessionView.iso)
        trialsDone = r.progress?.done ?? 0
        trialsTotal = r.progress?.total ?? 0
        progressPercent = r.status == .completed ? 100 : trialsTotal > 0 ? Double(trialsDone) * 100 / Double(trialsTotal) : 0
        self.queuePosition = queuePosition
        best = r.progress?.best
        generations = r.progress?.generations
        error = r.errorCode.map { SessionView.Failure(code: $0, message: r.errorMessage ?? "") }
        request = includeRequest ? r.request : nil
    }
}

/// A `/ws` message about an optimization: its status and progress; the final one (completed,
/// stopped, failed) carries the error of a failed one.
struct OptimizationMessage: Sendable, Encodable {
    /// Always `optimization_update`.
    var type = "optimization_update"
    var optimizationId: String
    var status: OptimizationStatus
    var trialsDone: Int
    var trialsTotal: Int
    var phase: OptimizationProgress.Phase?
    var best: OptimizationTrial?
    var generations: [ParameterSearch.Generation]?
    var error: SessionView.Failure?

    init(_ r: OptimizationRecord) {
        optimizationId = r.id
        status = r.status
        trialsDone = r.progress?.done ?? 0
        trialsTotal = r.progress?.total ?? 0
        phase = r.progress?.phase
        best = r.progress?.best
        generations = r.progress?.generations
        error = r.status == .failed ? r.errorCode.map { SessionView.Failure(code: $0, message: r.errorMessage ?? "") } : nil
    }
}

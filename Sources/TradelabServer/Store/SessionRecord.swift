import GRDB

/// The status of a backtest session.
public enum SessionStatus: String, Sendable, Codable, CaseIterable {
    /// Created, not started.
    case idle
    /// Waiting for a worker.
    case queued
    /// A worker is running it.
    case running
    /// Its worker waits between two slices of bars.
    case paused
    /// Every bar was processed.
    case completed
    /// Stopped on request; results cover the bars processed.
    case stopped
    /// The script, the data, a limit or the worker failed; `errorCode` says which.
    case failed

    /// Whether the session has ended (its worker, if any, is gone).
    public var isFinal: Bool { self == .completed || self == .stopped || self == .failed }
}

/// One row of the `sessions` table: everything needed to list a run and serve it after a restart.
struct SessionRecord: Sendable, Codable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "sessions"

    var id: String
    /// Submission order, for the queue and listings.
    var sequence: Int
    var name: String
    var status: SessionStatus
    var strategy: String
    var symbol: String?
    var timeframe: String?
    /// Epoch seconds.
    var createdAt: Double
    var startedAt: Double?
    var finishedAt: Double?
    var totalCandles: Int
    var currentCandleIndex: Int
    /// The request as received (JSON).
    var request: String
    /// The resolved worker job (JSON).
    var job: String
    /// The results summary (JSON), once finished.
    var summary: String?
    var errorCode: String?
    var errorMessage: String?
    /// Seconds spent running (pauses excluded), updated when the run ends.
    var runSeconds: Double
    /// The previous run this one is compared with, if any.
    var baselineRunId: String?

    /// Whether ``request`` and ``job`` were dropped from this in-memory copy (finished sessions
    /// keep them only in the database: they can hold a whole script).
    var isTrimmed: Bool { job.isEmpty }

    /// This record without its request and job texts.
    var trimmed: SessionRecord {
        var copy = self
        copy.request = ""
        copy.job = ""
        return copy
    }
}

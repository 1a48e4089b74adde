import Foundation
import GRDB
import TradelabRun

/// The status of a backtest session.
public enum SessionStatus: String, Sendable, Codable, CaseIterable {
    /// Created, not started.
    case idle
    /// Waiting for a worker.
    case queued
    /// A worker is running it.
    case running
    /// A pause was asked for; the worker finishes its slice of bars first.
    case pausing
    /// Its worker waits between two slices of bars.
    case paused
    /// A stop was asked for; the worker is ending the run.
    case stopping
    /// Every bar was processed.
    case completed
    /// Stopped on request; results cover the bars processed.
    case stopped
    /// The script, the data, a limit or the worker failed; `error.code` says which.
    case failed

    /// Whether the session has ended (its worker, if any, is gone).
    public var isFinal: Bool { self == .completed || self == .stopped || self == .failed }

    /// Whether a worker runs it (running, pausing, paused or stopping).
    public var hasWorker: Bool { [.running, .pausing, .paused, .stopping].contains(self) }
}

/// One row of the `sessions` table: everything needed to list a run and serve it after a restart.
/// The request, the assignment and the summary are typed; GRDB stores them as JSON text.
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
    /// The request as received (nil in the memory copy of a finished session: it can hold a whole script).
    var request: BacktestRequest?
    /// What the worker runs (nil in the memory copy of a finished session).
    var job: WorkerAssignment?
    /// The results' headline, once finished.
    var summary: RunResults?
    var errorCode: String?
    var errorMessage: String?
    /// Seconds spent running (pauses excluded), updated when the run ends.
    var runSeconds: Double
    /// The previous run this one is compared with, if any.
    var baselineRunId: String?

    /// Whether ``request`` and ``job`` were dropped from this in-memory copy.
    var isTrimmed: Bool { job == nil }

    /// This record without its request and job.
    var trimmed: SessionRecord {
        var copy = self
        copy.request = nil
        copy.job = nil
        return copy
    }

    /// The columns; the typed ones (request, job, summary) as compact JSON text. Written by hand
    /// because every status change saves the record and GRDB's Codable path would encode them with
    /// Foundation's `JSONEncoder`, about ten times slower. A test checks that every property is here.
    func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["sequence"] = sequence
        container["name"] = name
        container["status"] = status.rawValue
        container["strategy"] = strategy
        container["symbol"] = symbol
        container["timeframe"] = timeframe
        container["createdAt"] = createdAt
        container["startedAt"] = startedAt
        container["finishedAt"] = finishedAt
        container["totalCandles"] = totalCandles
        container["currentCandleIndex"] = currentCandleIndex
        container["request"] = try request.map { try CompactJSONEncoder.string($0) }
        container["job"] = try job.map { try CompactJSONEncoder.string($0) }
        container["summary"] = try summary.map { try CompactJSONEncoder.string($0) }
        container["errorCode"] = errorCode
        container["errorMessage"] = errorMessage
        container["runSeconds"] = runSeconds
        container["baselineRunId"] = baselineRunId
    }

    static func databaseJSONDecoder(for column: String) -> JSONDecoder { JSONCoding.decoder() }
}

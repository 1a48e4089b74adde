import Foundation
import GRDB
import TradelabRun

/// The status of an optimization on the server.
public enum OptimizationStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting for a worker.
    case queued
    /// A worker is searching.
    case running
    /// A stop was asked for; the worker is writing the trials done so far.
    case stopping
    /// Every trial was run.
    case completed
    /// Stopped on request; the results cover the trials done.
    case stopped
    /// The job, the data, a limit or the worker failed; `error.code` says which.
    case failed

    /// Whether the optimization has ended (its worker, if any, is gone).
    public var isFinal: Bool { self == .completed || self == .stopped || self == .failed }

    /// Whether a worker runs it.
    public var hasWorker: Bool { self == .running || self == .stopping }
}

/// One row of the `optimizations` table: everything needed to list an optimization and serve it
/// after a restart. The typed members (progress, request, job) are stored as JSON text.
struct OptimizationRecord: Sendable, Codable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "optimizations"

    var id: String
    /// Submission order.
    var sequence: Int
    var name: String
    var status: OptimizationStatus
    var strategy: String
    var symbol: String?
    var timeframe: String?
    /// `grid`, `random` or `genetic`.
    var method: String
    /// The objective's name.
    var objective: String
    /// Epoch seconds.
    var createdAt: Double
    var startedAt: Double?
    var finishedAt: Double?
    /// The worker's latest progress (kept in memory while it runs, saved at each status change).
    var progress: OptimizationProgress?
    /// The request as received.
    var request: OptimizeRequest
    /// What the worker runs.
    var job: WorkerAssignment
    var errorCode: String?
    var errorMessage: String?
    /// Seconds spent running, updated when it ends.
    var runSeconds: Double

    /// JSON columns with non-finite numbers as strings, as everywhere in Tradelab.
    static func databaseJSONEncoder(for column: String) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        encoder.outputFormatting = .sortedKeys
        return encoder
    }

    static func databaseJSONDecoder(for column: String) -> JSONDecoder { JSONCoding.decoder() }
}

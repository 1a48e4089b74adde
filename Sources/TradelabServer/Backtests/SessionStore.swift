import Foundation
import Logging

/// Every backtest session: the records in memory (finished ones without their request and job,
/// which can hold a whole script) and in SQLite. Status changes are written synchronously, in
/// order; progress is kept in memory and saved with the next status change.
struct SessionStore {
    private let database: RunStore
    private let logger: Logger
    private(set) var records: [String: SessionRecord] = [:]
    private var nextSequence = 1

    /// Loads the records; sessions that had a worker when the server stopped are marked failed
    /// (`interrupted`): their workers died with it.
    init(database: RunStore, logger: Logger) throws {
        self.database = database
        self.logger = logger
        let now = Date().timeIntervalSince1970
        for var record in try database.all(SessionRecord.self) {
            if record.status == .queued || record.status.hasWorker {
                record.errorCode = "interrupted"
                record.errorMessage = "the server stopped while this run was \(record.status.rawValue)"
                record.status = .failed
                record.finishedAt = now
                try database.save(record)
            }
            records[record.id] = record.status.isFinal ? record.trimmed : record
            nextSequence = max(nextSequence, record.sequence + 1)
        }
    }

    /// The next submission number.
    mutating func takeSequence() -> Int {
        defer { nextSequence += 1 }
        return nextSequence
    }

    /// A session by id.
    /// - Throws: 404 when there is none.
    func find(_ id: String) throws(APIError) -> SessionRecord {
        guard let record = records[id] else { throw APIError.notFound("no backtest session with id '\(id)'") }
        return record
    }

    /// A session with its request and job, read back from the database when trimmed.
    /// - Throws: 404 when there is none.
    func complete(_ id: String) throws -> SessionRecord {
        let record = try find(id)
        guard record.isTrimmed else { return record }
        guard let full = try database.fetch(SessionRecord.self, id: id) else { throw APIError.notFound("no backtest session with id '\(id)'") }
        return full
    }

    /// Keeps a record and writes it to the database; finished records are kept trimmed.
    /// - Throws: the database's error (the memory copy is updated anyway).
    mutating func save(_ record: SessionRecord) throws {
        records[record.id] = record.status.isFinal ? record.trimmed : record
        // A trimmed copy would blank the stored request and job; finished sessions never change.
        guard !record.isTrimmed else { return logger.error("session \(record.id) changed after it ended; not saved") }
        try database.save(record)
    }

    /// Saves where no caller can handle a failure: the record stays right in memory and the
    /// failure is logged (the database then lags until the next status change).
    mutating func saveLogged(_ record: SessionRecord) {
        do { try save(record) } catch { logger.error("cannot save session \(record.id) (\(record.status.rawValue)): \(error)") }
    }

    /// Updates the memory copy only (progress).
    mutating func keep(_ record: SessionRecord) { records[record.id] = record }

    /// Deletes a session from memory and the database.
    mutating func delete(_ id: String) throws {
        records.removeValue(forKey: id)
        try database.delete(SessionRecord.self, id: id)
    }

    /// Sessions matching the filters, newest first.
    func list(status: SessionStatus?, strategy: String?, symbol: String?, limit: Int, offset: Int) -> [SessionRecord] {
        records.values
            .filter { r in
                (status == nil || r.status == status) && (symbol == nil || r.symbol?.caseInsensitiveCompare(symbol!) == .orderedSame)
                    && (strategy == nil || r.strategy.localizedCaseInsensitiveContains(strategy!))
            }
            .sorted { $0.sequence > $1.sequence }
            .dropFirst(offset).prefix(limit)
            .map { $0 }
    }
}

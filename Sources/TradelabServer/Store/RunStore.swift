import Foundation
import GRDB
import TradelabRun

/// The server's records in SQLite (GRDB): one row per backtest session (`sessions`) and per
/// optimization (`optimizations`).
///
/// Rows are written at every status change (not at every progress tick); on start the server
/// reads them all, so finished runs are listed and served after a restart.
final class RunStore: Sendable {
    private let database: DatabaseQueue

    /// Opens (creating and migrating) the database at `path`.
    init(path: String) throws {
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
                                                withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        database = try DatabaseQueue(path: path, configuration: configuration)
        try Self.migrator.migrate(database)
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-sessions") { db in
            try db.create(table: "sessions") { t in
                t.primaryKey("id", .text)
                t.column("sequence", .integer).notNull().indexed()
                t.column("name", .text).notNull()
                t.column("status", .text).notNull().indexed()
                t.column("strategy", .text).notNull()
                t.column("symbol", .text)
                t.column("timeframe", .text)
                t.column("createdAt", .double).notNull()
                t.column("startedAt", .double)
                t.column("finishedAt", .double)
                t.column("totalCandles", .integer).notNull()
                t.column("currentCandleIndex", .integer).notNull()
                t.column("request", .text).notNull()
                t.column("job", .text).notNull()
                t.column("summary", .text)
                t.column("errorCode", .text)
                t.column("errorMessage", .text)
                t.column("runSeconds", .double).notNull()
            }
        }
        migrator.registerMigration("v2-baseline") { db in
            try db.alter(table: "sessions") { t in t.add(column: "baselineRunId", .text) }
        }
        migrator.registerMigration("v3-run-jobs") { db in try LegacyJob.migrate(db) }
        migrator.registerMigration("v4-optimizations") { db in
            try db.create(table: "optimizations") { t in
                t.primaryKey("id", .text)
                t.column("sequence", .integer).notNull().indexed()
                t.column("name", .text).notNull()
                t.column("status", .text).notNull().indexed()
                t.column("strategy", .text).notNull()
                t.column("symbol", .text)
                t.column("timeframe", .text)
                t.column("method", .text).notNull()
                t.column("objective", .text).notNull()
                t.column("createdAt", .double).notNull()
                t.column("startedAt", .double)
                t.column("finishedAt", .double)
                t.column("progress", .text)
                t.column("request", .text).notNull()
                t.column("job", .text).notNull()
                t.column("errorCode", .text)
                t.column("errorMessage", .text)
                t.column("runSeconds", .double).notNull()
            }
        }
        return migrator
    }

    /// Inserts or updates a record. Synchronous on purpose: the managers write status changes in
    /// the order they happen, and a write in WAL mode takes well under a millisecond.
    func save(_ record: some PersistableRecord & Sendable) throws {
        try database.write { db in try record.save(db) }
    }

    /// Deletes a record of `type` (no error when absent).
    func delete<Record: TableRecord>(_ type: Record.Type, id: String) throws {
        _ = try database.write { db in try type.deleteOne(db, key: id) }
    }

    /// One record of `type`.
    func fetch<Record: FetchableRecord & TableRecord & Sendable>(_ type: Record.Type, id: String) throws -> Record? {
        try database.read { db in try type.fetchOne(db, key: id) }
    }

    /// Every record of `type` in submission order.
    func all<Record: FetchableRecord & TableRecord & Sendable>(_ type: Record.Type) throws -> [Record] {
        try database.read { db in try type.order(Column("sequence")).fetchAll(db) }
    }
}

import Foundation
import GRDB
import TradelabCore
import TradelabData
import TradelabRun

/// The job of a session stored by Tradelab 0.2 (`WorkerJob`), converted once to a
/// ``WorkerAssignment`` by the `v3-run-jobs` migration. Their summaries had another shape and
/// are dropped (the runs stay listed; their old `results.json` cannot be served).
struct LegacyJob: Decodable {
    struct Strategy: Decodable { var name: String; var code: String? }
    struct Randomized: Decodable { var runs: Int; var duration: String; var seed: UInt64 }
    var id: String
    var strategy: Strategy
    var parameters: [String: Double]
    var data: BarQuery
    var account: AccountConfig
    var randomized: Randomized?
    var buyAndHoldBaseline: Bool
    var stateEvery: Int
    var stateInterval: Double?
    var outputDirectory: String
    var luaMemoryMiB: Int
    var luaTimeLimit: Double

    /// The same run as an assignment.
    func assignment(baselineRunId: String?) throws -> WorkerAssignment {
        let strategy: StrategyReference = strategy.code.map { .lua(name: self.strategy.name, code: $0) } ?? .builtin(self.strategy.name)
        let baseline: BaselineReference? = baselineRunId.map { .run(id: $0) } ?? (buyAndHoldBaseline ? .buyAndHold : nil)
        let job = RunJob(strategy: strategy, parameters: parameters, data: data, account: account,
                         randomized: try randomized.map { RandomizedWindows(runs: $0.runs, duration: try TimeSpan(parsing: $0.duration), seed: $0.seed) },
                         baseline: baseline, limits: RunLimits(luaMemoryMiB: luaMemoryMiB, timeLimit: luaTimeLimit))
        return WorkerAssignment(id: id, job: job, outputDirectory: outputDirectory, stateEvery: stateEvery, stateInterval: stateInterval)
    }

    /// Rewrites every stored job in the new form; rows that cannot be read are deleted.
    static func migrate(_ db: Database) throws {
        let encoder = SessionRecord.databaseJSONEncoder(for: "job")
        for row in try Row.fetchAll(db, sql: "SELECT id, job, baselineRunId FROM sessions") {
            let id: String = row["id"]
            let text: String = row["job"]
            guard let legacy = try? JSONCoding.decode(LegacyJob.self, from: Data(text.utf8)),
                  let assignment = try? legacy.assignment(baselineRunId: row["baselineRunId"]) else {
                try db.execute(sql: "DELETE FROM sessions WHERE id = ?", arguments: [id])
                continue
            }
            let converted = String(decoding: try encoder.encode(assignment), as: UTF8.self)
            try db.execute(sql: "UPDATE sessions SET job = ?, summary = NULL WHERE id = ?", arguments: [converted, id])
        }
    }
}

import Foundation
import Synchronization
import TradelabRun

/// A finished run's results as its worker stored them: the default view (`results.json`,
/// whose bytes are served as they are), and the complete results (every trade, whole curves)
/// read from the run's tables the first time a view needs them.
final class StoredResults: Sendable {
    /// The run's artifact folder.
    let directory: String
    /// `results.json` as stored.
    let defaultBody: Data
    /// `results.json` decoded.
    let view: RunResults
    /// Approximate memory held, counted by the cache.
    let bytes: Int
    private let complete = Mutex<RunResults?>(nil)

    /// Reads `results.json` in `directory`.
    /// - Throws: 404 when the run has no results, 409 when an earlier version wrote them.
    init(directory: String) throws {
        self.directory = directory
        let path = directory + "/" + RunArtifacts.resultsFile
        guard let data = FileManager.default.contents(atPath: path) else {
            throw APIError.notFound("the run has no results (it stopped before its first bar)")
        }
        do {
            view = try JSONCoding.decode(RunResults.self, from: data)
        } catch {
            throw APIError.invalidState("the run's results were written by an earlier version of Tradelab and cannot be read; run it again")
        }
        defaultBody = data
        bytes = data.count * 3
    }

    /// Results held in memory (tests).
    init(view: RunResults, directory: String) throws {
        self.directory = directory
        self.view = view
        defaultBody = try JSONCoding.encode(view)
        bytes = defaultBody.count * 3
    }

    /// Every trade and the whole first-run curve (read once, then kept).
    /// - Throws: when the run's tables are missing or damaged.
    func completeResults() throws -> RunResults {
        if let done = complete.withLock({ $0 }) { return done }
        let loaded = try RunArtifacts.loadComplete(in: directory)
        complete.withLock { $0 = loaded }
        return loaded
    }
}

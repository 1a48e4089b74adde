import Foundation
import Synchronization
import TradelabRun

/// A finished run's results as its worker stored them: the default view (`results.json`,
/// whose bytes are served as they are, decoded only when another view needs it), and the complete
/// results (every trade, whole curves) read from the run's tables the first time a view needs them.
final class StoredResults: Sendable {
    /// The run's artifact folder.
    let directory: String
    /// `results.json` as stored.
    let defaultBody: Data
    /// Approximate memory held, counted by the cache.
    let bytes: Int
    private let decoded = Mutex<RunResults?>(nil)
    private let complete = Mutex<RunResults?>(nil)

    /// Reads `results.json` in `directory` (without decoding it).
    /// - Throws: 404 when the run has no results.
    init(directory: String) throws {
        self.directory = directory
        guard let data = FileManager.default.contents(atPath: directory + "/" + RunArtifacts.resultsFile) else {
            throw APIError.notFound("the run has no results (it stopped before its first bar)")
        }
        defaultBody = data
        bytes = data.count * 3
    }

    /// Results held in memory (tests).
    init(view: RunResults, directory: String) throws {
        self.directory = directory
        defaultBody = try JSONCoding.encode(view)
        bytes = defaultBody.count * 3
        decoded.withLock { $0 = view }
    }

    /// `results.json` decoded (once).
    /// - Throws: 409 when an earlier version of Tradelab wrote it.
    func view() throws -> RunResults {
        if let done = decoded.withLock({ $0 }) { return done }
        do {
            let view = try JSONCoding.decode(RunResults.self, from: defaultBody)
            decoded.withLock { $0 = view }
            return view
        } catch {
            throw APIError.invalidState("the run's results were written by an earlier version of Tradelab and cannot be read; run it again")
        }
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

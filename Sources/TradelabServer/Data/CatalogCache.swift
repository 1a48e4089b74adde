import Synchronization
import TradelabData

/// The data directory's catalog, scanned once and kept: each use refreshes it with one `stat`
/// per file, and a file is read again only when it changed. Concurrent callers share one scan
/// (the first scan of a fresh data folder reads every file), so a burst of requests never
/// scans the folder once per request.
final class CatalogCache: Sendable {
    /// The data directory.
    let directory: String
    private let catalog = Mutex<DataCatalog?>(nil)

    init(directory: String) { self.directory = directory }

    /// The catalog, refreshed.
    /// - Throws: ``DataFileError`` when the directory does not exist.
    func current() throws(DataFileError) -> DataCatalog {
        try catalog.withLock { (kept) throws(DataFileError) -> DataCatalog in
            let fresh = try DataCatalog(directory: directory, previous: kept)
            kept = fresh
            return fresh
        }
    }
}

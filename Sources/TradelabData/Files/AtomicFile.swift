import Foundation

/// Files written whole or not at all.
public enum AtomicFile {
    /// Writes `data` to `path` through a uniquely named temporary file and a rename, so a reader
    /// (or a crash) never sees a partial file and concurrent writers never share a temporary file.
    /// - Throws: ``FileWriteError`` naming the file.
    public static func write(_ data: Data, to path: String) throws(FileWriteError) {
        let temporary = path + ".tmp-\(getpid())-\(UUID().uuidString.prefix(8))"
        do {
            try data.write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw FileWriteError(path: path, reason: "\(error.localizedDescription)")
        }
    }
}

/// A file that could not be written.
public struct FileWriteError: Error, Sendable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// The system's reason.
    public var reason: String

    /// Creates an error.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// "cannot write runs/x/summary.json: ...".
    public var description: String { "cannot write \(path): \(reason)" }
}

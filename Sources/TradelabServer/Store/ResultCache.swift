import Foundation
import Synchronization

/// Results of recent runs in memory, least recently used evicted first, bounded by both the
/// number of entries and their approximate size. Misses fall back to the run's files.
final class ResultCache: Sendable {
    private struct Entry {
        var results: StoredResults
        var bytes: Int
        var lastUse: UInt64
        /// Encoded responses by view (`maxPoints`, `tradesLimit`).
        var bodies: [ViewKey: Data] = [:]
    }
    private struct State {
        var entries: [String: Entry] = [:]
        var bytes = 0
        var clock: UInt64 = 0
    }

    /// A view of the results: curve points and trades kept.
    struct ViewKey: Hashable, Sendable {
        var maxPoints: Int
        var tradesLimit: Int
    }

    /// Most entries kept.
    let maxEntries: Int
    /// Most bytes kept (approximate; one entry larger than this is not cached).
    let maxBytes: Int
    private let state = Mutex(State())

    /// Creates an empty cache.
    init(maxEntries: Int = 64, maxBytes: Int = 256 << 20) {
        self.maxEntries = max(1, maxEntries)
        self.maxBytes = max(1, maxBytes)
    }

    /// The cached results of `id`, marking them recently used.
    func get(_ id: String) -> StoredResults? {
        state.withLock { s in
            guard var entry = s.entries[id] else { return nil }
            s.clock += 1
            entry.lastUse = s.clock
            s.entries[id] = entry
            return entry.results
        }
    }

    /// Caches results, evicting the least recently used entries to stay within the bounds.
    func put(_ id: String, _ results: StoredResults) {
        let bytes = results.bytes
        state.withLock { s in
            if let old = s.entries.removeValue(forKey: id) { s.bytes -= old.bytes }
            guard bytes <= maxBytes else { return }
            while s.entries.count >= maxEntries || s.bytes + bytes > maxBytes,
                  let oldest = s.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                s.entries.removeValue(forKey: oldest.key)
                s.bytes -= oldest.value.bytes
            }
            s.clock += 1
            s.entries[id] = Entry(results: results, bytes: bytes, lastUse: s.clock)
            s.bytes += bytes
        }
    }

    /// A response body cached with the results of `id` (nil when absent).
    func body(_ id: String, view: ViewKey) -> Data? {
        state.withLock { $0.entries[id]?.bodies[view] }
    }

    /// Keeps an encoded response beside cached results (ignored when `id` is not cached or the
    /// body would break the byte bound).
    func storeBody(_ id: String, view: ViewKey, _ data: Data) {
        state.withLock { s in
            guard var entry = s.entries[id], entry.bodies[view] == nil, s.bytes + data.count <= maxBytes else { return }
            entry.bodies[view] = data
            entry.bytes += data.count
            s.bytes += data.count
            s.entries[id] = entry
        }
    }

    /// Drops an entry.
    func remove(_ id: String) {
        state.withLock { s in
            if let old = s.entries.removeValue(forKey: id) { s.bytes -= old.bytes }
        }
    }

    /// Number of entries and bytes held.
    var usage: (entries: Int, bytes: Int) { state.withLock { ($0.entries.count, $0.bytes) } }
}

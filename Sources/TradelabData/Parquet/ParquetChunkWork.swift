import Dispatch
import Foundation

/// An output column that the chunk decoders fill in place, through its base address.
protocol FilledColumn: AnyObject {
    /// Runs `body` with the base address of the column's storage (valid during the call only).
    func withBaseAddress(_ body: (UnsafeMutableRawPointer) -> Void)
}

/// The storage of one output column: an array created at its final size, filled by the decoders.
final class ColumnStorage<Element>: FilledColumn {
    private var values: [Element]

    /// An array of `count` elements whose memory is not initialised: only for trivial elements
    /// (integers, doubles, booleans) that the decoders overwrite before anyone reads them.
    init(uninitializedCount count: Int) where Element: BitwiseCopyable {
        values = [Element](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    /// An array of `count` copies of `value`, which the decoders replace.
    init(repeating value: Element, count: Int) {
        values = [Element](repeating: value, count: count)
    }

    func withBaseAddress(_ body: (UnsafeMutableRawPointer) -> Void) {
        values.withUnsafeMutableBufferPointer { buffer in
            body(buffer.baseAddress.map(UnsafeMutableRawPointer.init) ?? UnsafeMutableRawPointer(bitPattern: 16)!)
        }
    }

    /// The values, leaving the storage empty (so that the caller's copy is unique and can be
    /// changed in place).
    func take() -> [Element] {
        let result = values
        values = []
        return result
    }
}

/// Runs `body` with the base address of every column's storage, all valid during the call.
func withBaseAddresses(_ columns: [any FilledColumn], _ body: ([UnsafeMutableRawPointer]) -> Void) {
    func nest(_ k: Int, _ collected: [UnsafeMutableRawPointer]) {
        if k == columns.count { return body(collected) }
        columns[k].withBaseAddress { nest(k + 1, collected + [$0]) }
    }
    nest(0, [])
}

/// Per-task results of the parallel decode (each slot written by one task only).
private final class TaskResults: @unchecked Sendable {
    let slots: UnsafeMutableBufferPointer<Result<ParquetChunkOutcome, ParquetError>?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }
}

/// The parallel decode of column chunks: one worker per core takes the next task, largest
/// chunk first, until none is left.
final class ChunkWork: @unchecked Sendable {
    /// Decodes task `k` with a worker's scratch buffers.
    typealias Decode = (_ k: Int, _ scratch: ParquetScratch) throws(ParquetError) -> ParquetChunkOutcome

    private let decode: Decode
    private let results: TaskResults
    /// Task numbers, largest first.
    private let order: [Int]
    private var next = 0
    private let lock = NSLock()

    private init(order: [Int], decode: @escaping Decode, results: TaskResults) {
        self.order = order
        self.decode = decode
        self.results = results
    }

    /// Runs tasks `0..<count` on up to one worker per core, those of larger `size` first.
    ///
    /// - Parameters:
    ///   - count: How many tasks.
    ///   - size: A task's size (its compressed bytes), to start the large ones first.
    ///   - decode: Decodes one task; it may run on any thread, at the same time as others.
    /// - Returns: Each task's outcome or error, in task order.
    static func perform(count: Int, size: (Int) -> Int64, decode: Decode) -> [Result<ParquetChunkOutcome, ParquetError>] {
        let order = (0..<count).sorted { size($0) > size($1) || (size($0) == size($1) && $0 < $1) }
        let results = TaskResults(count: count)
        withoutActuallyEscaping(decode) { decode in
            let work = ChunkWork(order: order, decode: decode, results: results)
            let workers = min(count, ProcessInfo.processInfo.activeProcessorCount)
            if workers <= 1 {
                work.run()
            } else {
                DispatchQueue.concurrentPerform(iterations: workers) { _ in work.run() }
            }
        }
        return results.slots.map { $0 ?? .failure(.malformed("a column chunk was not decoded")) }
    }

    private func take() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < order.count else { return nil }
        next += 1
        return order[next - 1]
    }

    /// Decodes tasks until none is left.
    private func run() {
        let scratch = ParquetScratch()
        while let k = take() {
            do {
                results.slots[k] = .success(try decode(k, scratch))
            } catch {
                results.slots[k] = .failure(error)
            }
        }
    }
}

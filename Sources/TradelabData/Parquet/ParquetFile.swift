import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a Parquet file, memory-mapped (or held in memory) for the duration of a read.
final class ParquetFileBytes {
    let buffer: UnsafeRawBufferPointer
    private let mapped: Bool

    /// Maps the file at `path`.
    /// - Throws: A reason text when the file cannot be opened or mapped.
    init(path: String) throws(ParquetError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .data("cannot open the file: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .data("cannot read the file: \(String(cString: strerror(errno)))") }
        let size = Int(info.st_size)
        if size == 0 {
            buffer = UnsafeRawBufferPointer(start: nil, count: 0)
            mapped = false
            return
        }
        #if os(Linux)
        let flags = MAP_PRIVATE | MAP_POPULATE  // fault the whole file in at once: it is read entirely
        #else
        let flags = MAP_PRIVATE
        #endif
        guard let address = mmap(nil, size, PROT_READ, flags, fd, 0), address != MAP_FAILED else {
            throw .data("cannot map the file: \(String(cString: strerror(errno)))")
        }
        buffer = UnsafeRawBufferPointer(start: address, count: size)
        mapped = true
    }

    deinit {
        if mapped, let base = buffer.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), buffer.count) }
    }

    /// Maps the file at `path` and runs `body` with its bytes and its name for errors (the last
    /// path component); the mapping lasts for the call.
    /// - Throws: ``DataFileError`` when the file is missing or cannot be mapped, or what `body` throws.
    static func withContents<T>(ofFile path: String,
                                _ body: (UnsafeRawBufferPointer, String) throws(DataFileError) -> T) throws(DataFileError) -> T {
        let name = URL(fileURLWithPath: path).lastPathComponent
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataFileError(file: name, reason: "file not found at '\(path)'")
        }
        let file: ParquetFileBytes
        do {
            file = try ParquetFileBytes(path: path)
        } catch {
            throw error.located(in: name)
        }
        return try withExtendedLifetime(file) { () throws(DataFileError) in
            try body(file.buffer, name)
        }
    }
}

extension ParquetColumnChunk {
    /// Value encodings the reader does not implement (never used for levels).
    static let unsupportedEncodings: Set<Int32> = [
        ParquetEncoding.deltaBinaryPacked.rawValue, ParquetEncoding.deltaLengthByteArray.rawValue,
        ParquetEncoding.deltaByteArray.rawValue, ParquetEncoding.byteStreamSplit.rawValue,
    ]

    /// The chunk's metadata, once it is known to be decodable: present, not encrypted, in this
    /// file, in supported encodings and codec, and holding `rows` values (a flat column).
    /// Checked up front, before any allocation or work.
    /// - Throws: ``ParquetError`` naming `column`.
    func checkedMetaData(column: String, rows: Int64) throws(ParquetError) -> ParquetColumnMetaData {
        guard let meta = metaData, !isEncrypted else {
            if isEncrypted { throw .unsupported("encrypted columns", column: column) }
            throw .malformed("column chunk without metadata", column: column)
        }
        if filePath != nil { throw .unsupported("column data kept in another file", column: column) }
        if let encoding = meta.encodings.first(where: Self.unsupportedEncodings.contains) {
            throw ParquetColumnReader.unsupportedEncoding(encoding).inColumn(column)
        }
        if !ParquetDecompressor.isSupported(meta.codec) {
            throw .unsupported("the \(ParquetCodec.name(meta.codec)) codec; supported: UNCOMPRESSED, SNAPPY, GZIP, ZSTD", column: column)
        }
        guard meta.numValues == rows else {
            throw .malformed("column chunk holds \(meta.numValues) values, its row group \(rows) rows", column: column)
        }
        return meta
    }
}

/// A leaf column of the schema, with its place in the tree.
struct ParquetLeaf: Sendable {
    /// The top-level field the leaf belongs to.
    var field: String
    var element: ParquetSchemaElement
    var maxDefinitionLevel: Int
    var maxRepetitionLevel: Int
    /// Inside a group, or repeated: not a flat column.
    var isNested: Bool
}

/// The parsed footer of a file.
struct ParquetFooter {
    var metadata: ParquetFileMetaData
    var leaves: [ParquetLeaf]
    /// Where the footer starts: every page lies before.
    var dataEnd: Int

    /// Parses the footer of `file`.
    /// - Throws: ``ParquetError``: not Parquet, truncated, encrypted, or a schema that does not
    ///   match its row groups.
    init(file: UnsafeRawBufferPointer) throws(ParquetError) {
        let n = file.count
        guard n > 0, let base = file.baseAddress?.assumingMemoryBound(to: UInt8.self) else { throw .malformed("the file is empty") }
        func magic(_ at: Int) -> [UInt8] { Array(UnsafeBufferPointer(start: base + at, count: 4)) }
        let par1: [UInt8] = Array("PAR1".utf8), pare: [UInt8] = Array("PARE".utf8)
        guard n >= 12 else { throw .malformed("\(n) bytes is too short for a Parquet file") }
        if magic(n - 4) == pare { throw .unsupported("encrypted Parquet files (encrypted footer)") }
        guard magic(0) == par1 else { throw .malformed("the file does not start with the Parquet magic 'PAR1'") }
        guard magic(n - 4) == par1 else { throw .malformed("the file does not end with 'PAR1' (truncated?)") }
        let footerLength = Int(UnsafeRawPointer(base + n - 8).loadUnaligned(as: UInt32.self))
        guard footerLength > 0, footerLength <= n - 12 else {
            throw .malformed("footer length \(footerLength) does not fit the file of \(n) bytes (truncated?)")
        }
        let footerStart = n - 8 - footerLength
        var reader = ThriftCompactReader(base: base, start: footerStart, end: n - 8)
        metadata = try ParquetFileMetaData(reading: &reader)
        dataEnd = footerStart
        if metadata.isEncrypted { throw .unsupported("encrypted Parquet files") }
        leaves = try Self.leaves(of: metadata.schema)
        for group in metadata.rowGroups {
            guard group.columns.count == leaves.count else {
                throw .malformed("a row group has \(group.columns.count) column chunks, the schema \(leaves.count) columns")
            }
            guard group.numRows >= 0 else { throw .malformed("a row group has \(group.numRows) rows") }
        }
    }

    /// The leaf columns of a schema in depth-first order (the order of column chunks).
    static func leaves(of schema: [ParquetSchemaElement]) throws(ParquetError) -> [ParquetLeaf] {
        guard let root = schema.first else { throw .malformed("empty schema") }
        var result: [ParquetLeaf] = []
        struct Level { var remaining: Int; var definition: Int; var repetition: Int; var field: String? }
        var stack = [Level(remaining: Int(root.numChildren ?? 0), definition: 0, repetition: 0, field: nil)]
        guard stack[0].remaining >= 0 else { throw .malformed("negative child count in the schema") }
        var i = 1
        while let top = stack.last {
            if top.remaining == 0 {
                stack.removeLast()
                continue
            }
            stack[stack.count - 1].remaining -= 1
            guard i < schema.count else { throw .malformed("schema lists fewer elements than its groups claim") }
            let element = schema[i]
            i += 1
            let repetition = element.repetition ?? ParquetRepetition.required.rawValue
            let definition = top.definition + (repetition == ParquetRepetition.required.rawValue ? 0 : 1)
            let repeated = top.repetition + (repetition == ParquetRepetition.repeated.rawValue ? 1 : 0)
            let field = top.field ?? element.name
            if let children = element.numChildren, children != 0 || element.type == nil {
                guard children >= 0 else { throw .malformed("negative child count in the schema") }
                guard stack.count < 100 else { throw .malformed("schema nested deeper than 100 levels") }
                stack.append(Level(remaining: Int(children), definition: definition, repetition: repeated, field: field))
                if children == 0 {
                    // An empty group has no column chunk; it counts as a nested field without leaves.
                    continue
                }
            } else {
                result.append(ParquetLeaf(field: field, element: element, maxDefinitionLevel: definition,
                                          maxRepetitionLevel: repeated, isNested: stack.count > 1 || repeated > 0))
            }
        }
        guard i == schema.count else { throw .malformed("schema has \(schema.count - i) elements outside its tree") }
        return result
    }
}

/// Asks the kernel to back a large output buffer with huge pages before it is first written:
/// filling 8 MB columns then takes a handful of page faults instead of thousands.
func adviseHugePages(_ base: UnsafeMutableRawPointer, byteCount: Int) {
    #if os(Linux)
    let huge = 2 << 20
    guard byteCount >= 2 * huge else { return }
    let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
    let end = (Int(bitPattern: base) + byteCount) & ~(huge - 1)
    if end > start, let p = UnsafeMutableRawPointer(bitPattern: start) {
        _ = madvise(p, end - start, 14)  // MADV_HUGEPAGE
    }
    #endif
}

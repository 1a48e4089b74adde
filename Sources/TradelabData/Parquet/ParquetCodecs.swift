import CSnappy
import CZlib
import CZstd

/// Decompression of page bytes, one instance per worker (it keeps a zstd context).
final class ParquetDecompressor {
    private var zstd: OpaquePointer?

    init() {}

    deinit {
        if let zstd { ZSTD_freeDCtx(zstd) }
    }

    /// Whether the reader implements `codec`.
    static func isSupported(_ codec: Int32) -> Bool {
        switch ParquetCodec(rawValue: codec) {
        case .uncompressed, .snappy, .gzip, .zstd: true
        default: false
        }
    }

    /// Decompresses `source` into exactly `count` bytes at `destination`.
    /// - Throws: ``ParquetError`` (malformed) when the data is corrupt or its size differs.
    func decompress(_ codec: Int32, source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawPointer,
                    count: Int) throws(ParquetError) {
        switch ParquetCodec(rawValue: codec) {
        case .uncompressed:
            guard source.count == count else { throw .malformed("uncompressed page holds \(source.count) bytes, its header says \(count)") }
            if count > 0 { destination.copyMemory(from: source.baseAddress!, byteCount: count) }
        case .snappy:
            try snappy(source, into: destination, count: count)
        case .zstd:
            try zstdDecompress(source, into: destination, count: count)
        case .gzip:
            try gzip(source, into: destination, count: count)
        default:
            throw .unsupported("the \(ParquetCodec.name(codec)) codec; supported: UNCOMPRESSED, SNAPPY, GZIP, ZSTD")
        }
    }

    private func snappy(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawPointer, count: Int) throws(ParquetError) {
        guard let src = source.baseAddress?.assumingMemoryBound(to: CChar.self), source.count > 0 else {
            guard count == 0 else { throw .malformed("empty SNAPPY page") }
            return
        }
        var length = 0
        guard snappy_uncompressed_length(src, source.count, &length) == SNAPPY_OK, length == count else {
            throw .malformed("SNAPPY page decompresses to \(length) bytes, its header says \(count)")
        }
        var out = count
        guard snappy_uncompress(src, source.count, destination.assumingMemoryBound(to: CChar.self), &out) == SNAPPY_OK,
              out == count else {
            throw .malformed("corrupt SNAPPY page")
        }
    }

    private func zstdDecompress(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawPointer, count: Int) throws(ParquetError) {
        if zstd == nil { zstd = ZSTD_createDCtx() }
        guard let ctx = zstd else { throw .malformed("cannot create a zstd context") }
        guard let src = source.baseAddress, source.count > 0 else {
            guard count == 0 else { throw .malformed("empty ZSTD page") }
            return
        }
        // One call decodes every frame in the page, with or without a content size in the frame
        // header: the page header says how large the result is.
        let result = ZSTD_decompressDCtx(ctx, destination, count, src, source.count)
        if ZSTD_isError(result) != 0 {
            throw .malformed("corrupt ZSTD page: \(String(cString: ZSTD_getErrorName(result)))")
        }
        guard result == count else { throw .malformed("ZSTD page decompresses to \(result) bytes, its header says \(count)") }
    }

    private func gzip(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawPointer, count: Int) throws(ParquetError) {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .malformed("cannot initialise zlib")
        }
        defer { inflateEnd(&stream) }
        guard let src = source.baseAddress else {
            guard count == 0 else { throw .malformed("empty GZIP page") }
            return
        }
        var consumed = 0, produced = 0
        // Several gzip members may follow each other; each is inflated in turn.
        while consumed < source.count {
            stream.next_in = UnsafeMutablePointer(mutating: src.assumingMemoryBound(to: UInt8.self) + consumed)
            stream.avail_in = UInt32(clamping: source.count - consumed)
            stream.next_out = destination.assumingMemoryBound(to: UInt8.self) + produced
            stream.avail_out = UInt32(clamping: count - produced)
            let status = inflate(&stream, Z_FINISH)
            consumed = source.count - Int(stream.avail_in)
            produced = count - Int(stream.avail_out)
            if status == Z_STREAM_END {
                // Trailing zero padding after the last member is tolerated.
                if consumed < source.count {
                    var rest = consumed
                    while rest < source.count && source[rest] == 0 { rest += 1 }
                    if rest == source.count { break }
                    guard inflateReset(&stream) == Z_OK else { throw .malformed("corrupt GZIP page") }
                }
                continue
            }
            throw .malformed(status == Z_BUF_ERROR && produced == count
                ? "GZIP page decompresses to more than the \(count) bytes its header says"
                : "corrupt or truncated GZIP page")
        }
        guard produced == count else { throw .malformed("GZIP page decompresses to \(produced) bytes, its header says \(count)") }
    }
}

/// Compression of page bytes for the writer.
enum ParquetCompressor {
    /// Compresses `source` with `codec` (UNCOMPRESSED, SNAPPY, GZIP or ZSTD), appending to `out`.
    static func compress(_ codec: ParquetCodec, _ source: UnsafeRawBufferPointer, appendingTo out: inout [UInt8],
                         zstdLevel: Int32 = 3) throws(ParquetError) {
        let n = source.count
        switch codec {
        case .uncompressed:
            out.append(contentsOf: source)
        case .snappy:
            var length = snappy_max_compressed_length(n)
            let start = out.count
            out.append(contentsOf: repeatElement(0, count: length))
            let status = out.withUnsafeMutableBytes { buffer in
                snappy_compress(source.baseAddress?.assumingMemoryBound(to: CChar.self), n,
                                (buffer.baseAddress! + start).assumingMemoryBound(to: CChar.self), &length)
            }
            guard status == SNAPPY_OK else { throw .malformed("snappy compression failed") }
            out.removeLast(out.count - start - length)
        case .zstd:
            let bound = ZSTD_compressBound(n)
            let start = out.count
            out.append(contentsOf: repeatElement(0, count: bound))
            let written = out.withUnsafeMutableBytes { buffer in
                ZSTD_compress(buffer.baseAddress! + start, bound, source.baseAddress, n, zstdLevel)
            }
            guard ZSTD_isError(written) == 0 else { throw .malformed("zstd compression failed") }
            out.removeLast(out.count - start - written)
        case .gzip:
            var stream = z_stream()
            guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY,
                                ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                throw .malformed("cannot initialise zlib")
            }
            defer { deflateEnd(&stream) }
            let bound = Int(deflateBound(&stream, UInt(n))) + 32
            let start = out.count
            out.append(contentsOf: repeatElement(0, count: bound))
            let status = out.withUnsafeMutableBytes { buffer -> Int32 in
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress?.assumingMemoryBound(to: UInt8.self))
                stream.avail_in = UInt32(n)
                stream.next_out = (buffer.baseAddress! + start).assumingMemoryBound(to: UInt8.self)
                stream.avail_out = UInt32(bound)
                return deflate(&stream, Z_FINISH)
            }
            guard status == Z_STREAM_END else { throw .malformed("gzip compression failed") }
            out.removeLast(out.count - start - Int(stream.total_out))
        default:
            throw .unsupported("writing the \(ParquetCodec.name(codec.rawValue)) codec")
        }
    }
}

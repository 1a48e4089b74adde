import Foundation

/// Writes the column chunks of ``ParquetWriter``: PLAIN-encoded v1 data pages without levels
/// (the columns are REQUIRED), compressed with one codec, and the chunk's statistics.
struct ParquetChunkWriter {
    let codec: ParquetCodec
    /// Target bytes of values per page (see ``ParquetWriter/pageSize``).
    let pageSize: Int

    /// Appends the chunk of `column` for `rows` (not empty) to `out`.
    /// - Returns: What the footer needs to know about it.
    /// - Throws: ``ParquetError`` when compression fails or a page would exceed 2 GiB.
    /// - Complexity: O(rows); 8-byte values are copied (or compressed) a page at a time, other
    ///   values are encoded into one reused page buffer.
    func write(_ column: ParquetTable.Column, rows: Range<Int>, path: String,
               into out: inout [UInt8]) throws(ParquetError) -> ChunkInfo {
        let chunkStart = out.count
        var pages = PageSink(codec: codec)
        let statistics: ChunkStatistics
        switch column {
        case .int64(let values), .timestampMillis(let values):
            statistics = .int64(values[rows])
            try writeFixedWidth(values, rows: rows, pages: &pages, into: &out)
        case .double(let values):
            statistics = .double(values[rows])
            try writeFixedWidth(values, rows: rows, pages: &pages, into: &out)
        case .bool(let values):
            statistics = .bool(values[rows])
            try writeBooleans(values, rows: rows, pages: &pages, into: &out)
        case .string(let values):
            statistics = try writeStrings(values, rows: rows, pages: &pages, into: &out)
        }
        return ChunkInfo(path: path, type: column.physicalType, values: rows.count, uncompressedSize: pages.uncompressedSize,
                         compressedSize: Int64(out.count - chunkStart), dataPageOffset: Int64(chunkStart), statistics: statistics)
    }

    /// 8-byte values: each page is a slice of the array, copied or compressed once.
    private func writeFixedWidth<T: BitwiseCopyable>(_ values: [T], rows: Range<Int>, pages: inout PageSink,
                                                     into out: inout [UInt8]) throws(ParquetError) {
        let perPage = max(1, pageSize / 8)
        try values.withUnsafeBufferPointer { (buffer) throws(ParquetError) in
            let raw = UnsafeRawBufferPointer(buffer)
            var first = rows.lowerBound
            while first < rows.upperBound {
                let last = min(rows.upperBound, first + perPage)
                try pages.append(UnsafeRawBufferPointer(rebasing: raw[(first * 8)..<(last * 8)]), values: last - first, to: &out)
                first = last
            }
        }
    }

    /// Booleans, bit-packed least significant bit first, `8 × pageSize` to a page.
    private func writeBooleans(_ values: [Bool], rows: Range<Int>, pages: inout PageSink,
                               into out: inout [UInt8]) throws(ParquetError) {
        let perPage = max(8, pageSize * 8)
        var page: [UInt8] = []
        page.reserveCapacity(min(rows.count, perPage) / 8 + 1)
        var first = rows.lowerBound
        while first < rows.upperBound {
            let last = min(rows.upperBound, first + perPage)
            page.removeAll(keepingCapacity: true)
            var i = first
            while i < last {
                var byte: UInt8 = 0
                for bit in 0..<min(8, last - i) where values[i + bit] { byte |= 1 << UInt8(bit) }
                page.append(byte)
                i += 8
            }
            try page.withUnsafeBufferPointer { (b) throws(ParquetError) in try pages.append(UnsafeRawBufferPointer(b), values: last - first, to: &out) }
            first = last
        }
    }

    /// Strings as a 4-byte little-endian length and the UTF-8 bytes, until a page holds
    /// `pageSize` bytes; the statistics are gathered on the way, from the same bytes.
    private func writeStrings(_ values: [String], rows: Range<Int>, pages: inout PageSink,
                              into out: inout [UInt8]) throws(ParquetError) -> ChunkStatistics {
        var page: [UInt8] = []
        page.reserveCapacity(pageSize + 64)
        var bounds = ByteBounds()
        var count = 0
        for i in rows {
            var text = values[i]
            text.withUTF8 { utf8 in
                bounds.include(utf8)
                let length = UInt32(truncatingIfNeeded: utf8.count)
                for shift in stride(from: 0, to: 32, by: 8) { page.append(UInt8(truncatingIfNeeded: length >> UInt32(shift))) }
                page.append(contentsOf: utf8)
            }
            count += 1
            if page.count >= pageSize || i == rows.upperBound - 1 {
                try page.withUnsafeBufferPointer { (b) throws(ParquetError) in try pages.append(UnsafeRawBufferPointer(b), values: count, to: &out) }
                page.removeAll(keepingCapacity: true)
                count = 0
            }
        }
        return ChunkStatistics(min: bounds.min, max: bounds.max)
    }
}

/// Appends data pages to the file, compressing them, and counts their uncompressed size.
private struct PageSink {
    let codec: ParquetCodec
    /// Headers and values before compression, as the footer reports them.
    private(set) var uncompressedSize: Int64 = 0
    private var compressed: [UInt8] = []

    init(codec: ParquetCodec) { self.codec = codec }

    /// Appends one PLAIN v1 data page holding `values` values encoded as `data`.
    mutating func append(_ data: UnsafeRawBufferPointer, values: Int, to out: inout [UInt8]) throws(ParquetError) {
        if codec != .uncompressed {
            compressed.removeAll(keepingCapacity: true)
            try ParquetCompressor.compress(codec, data, appendingTo: &compressed)
        }
        let stored = codec == .uncompressed ? data.count : compressed.count
        guard data.count <= Int(Int32.max), stored <= Int(Int32.max) else {
            throw .data("a data page of \(data.count) bytes exceeds the format's 2 GiB limit")
        }
        var h = ThriftCompactWriter()
        h.i32(1, ParquetPageType.dataPage.rawValue)
        h.i32(2, Int32(data.count))
        h.i32(3, Int32(stored))
        h.field(5, .structure)
        h.i32(1, Int32(values))
        h.i32(2, ParquetEncoding.plain.rawValue)
        h.i32(3, ParquetEncoding.rle.rawValue)
        h.i32(4, ParquetEncoding.rle.rawValue)
        h.stop()  // DataPageHeader
        h.stop()  // PageHeader
        out.append(contentsOf: h.bytes)
        if codec == .uncompressed {
            out.append(contentsOf: data)
        } else {
            out.append(contentsOf: compressed)
        }
        uncompressedSize += Int64(h.bytes.count + data.count)
    }
}

/// What the footer needs to know about a written column chunk.
struct ChunkInfo {
    var path: String
    var type: ParquetPhysicalType
    var values: Int
    var uncompressedSize: Int64
    var compressedSize: Int64
    var dataPageOffset: Int64
    var statistics: ChunkStatistics

    /// Writes the `ColumnMetaData` struct (its field header already written).
    func writeMetaData(_ w: inout ThriftCompactWriter, codec: ParquetCodec) {
        w.i32(1, type.rawValue)
        w.field(2, .list)
        w.listHeader(.i32, count: 1)
        w.i32(ParquetEncoding.plain.rawValue)
        w.field(3, .list)
        w.listHeader(.binary, count: 1)
        w.string(path)
        w.i32(4, codec.rawValue)
        w.i64(5, Int64(values))
        w.i64(6, uncompressedSize)
        w.i64(7, compressedSize)
        w.i64(9, dataPageOffset)
        w.field(12, .structure)
        if let max = statistics.max, let min = statistics.min {
            w.binary(1, max)
            w.binary(2, min)
        }
        w.i64(3, 0)  // null_count
        if let max = statistics.max, let min = statistics.min {
            w.binary(5, max)
            w.binary(6, min)
            w.bool(7, true)
            w.bool(8, true)
        }
        if let nans = statistics.nanCount { w.i64(9, nans) }
        w.stop()  // Statistics
        w.stop()  // ColumnMetaData
    }
}

/// PLAIN-encoded bounds and the NaN count of a chunk.
struct ChunkStatistics {
    var min: [UInt8]?
    var max: [UInt8]?
    var nanCount: Int64?

    static func int64(_ values: ArraySlice<Int64>) -> ChunkStatistics {
        guard var lo = values.first else { return ChunkStatistics() }
        var hi = lo
        for v in values {
            if v < lo { lo = v }
            if v > hi { hi = v }
        }
        return ChunkStatistics(min: bytes(of: lo), max: bytes(of: hi))
    }

    /// Min and max of the non-NaN values (zero bounds as -0.0 / +0.0), and the NaN count.
    static func double(_ values: ArraySlice<Double>) -> ChunkStatistics {
        var lo = Double.infinity, hi = -Double.infinity
        var nans: Int64 = 0
        for v in values {
            if v.isNaN { nans += 1; continue }
            if v < lo { lo = v }
            if v > hi { hi = v }
        }
        guard lo <= hi else { return ChunkStatistics(nanCount: nans) }
        if lo == 0 { lo = -0.0 }
        if hi == 0 { hi = 0.0 }
        return ChunkStatistics(min: bytes(of: lo.bitPattern), max: bytes(of: hi.bitPattern), nanCount: nans)
    }

    /// False before true; each bound one byte.
    static func bool(_ values: ArraySlice<Bool>) -> ChunkStatistics {
        guard !values.isEmpty else { return ChunkStatistics() }
        let min = !values.contains(false), max = values.contains(true)
        return ChunkStatistics(min: [min ? 1 : 0], max: [max ? 1 : 0])
    }

    private static func bytes<T: FixedWidthInteger>(of value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}

/// The least and greatest of byte strings in unsigned lexicographic order (the order of the
/// STRING type: UTF-8 bytes compared one by one).
struct ByteBounds {
    private(set) var min: [UInt8]?
    private(set) var max: [UInt8]?

    /// Widens the bounds to include `bytes`.
    mutating func include(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let lo = min, let hi = max else {
            min = Array(bytes)
            max = min
            return
        }
        if Self.compare(bytes, lo) < 0 { min = Array(bytes) } else if Self.compare(bytes, hi) > 0 { max = Array(bytes) }
    }

    /// The sign of the lexicographic comparison of `a` and `b`.
    private static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: [UInt8]) -> Int {
        b.withUnsafeBufferPointer { b in
            let common = Swift.min(a.count, b.count)
            let order = common == 0 ? 0 : Int(memcmp(a.baseAddress!, b.baseAddress!, common))
            return order != 0 ? order : a.count - b.count
        }
    }
}

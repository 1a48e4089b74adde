#if _endian(big)
#error("the Parquet reader and writer assume a little-endian host")
#endif

/// How one column is decoded: its physical type, target and what a null becomes.
struct ParquetColumnPlan: Sendable {
    /// The column's name, for errors.
    var name: String
    var type: ParquetPhysicalType
    /// Unsigned integers (UINT_32, UINT_64, INTEGER(isSigned=false)).
    var unsigned: Bool
    /// 0 for REQUIRED, 1 for flat OPTIONAL.
    var maxDefinitionLevel: Int
    /// Doubles (prices, volume, features) or Int64 (the time column, converted later).
    var toDouble: Bool
    /// The 8-byte pattern written for a null, or nil when a null is an error.
    var nullFill: UInt64?
    /// Divide decoded values by 10^scale (DECIMAL stored as INT32/INT64).
    var decimalScale: Int?
}

/// What decoding one column chunk found.
struct ParquetChunkOutcome {
    /// Nulls replaced by ``ParquetColumnPlan/nullFill``.
    var nulls = 0
    /// Pages decoded.
    var pages = 0
}

/// Reusable buffers of one decoding worker.
final class ParquetScratch {
    private(set) var bytes: UnsafeMutableRawPointer
    private(set) var byteCapacity: Int
    private(set) var levels: UnsafeMutablePointer<UInt32>
    private(set) var levelCapacity: Int
    let decompressor = ParquetDecompressor()

    init() {
        byteCapacity = 1 << 16
        bytes = .allocate(byteCount: byteCapacity, alignment: 16)
        levelCapacity = 1 << 12
        levels = .allocate(capacity: levelCapacity)
    }

    deinit {
        bytes.deallocate()
        levels.deallocate()
    }

    /// At least `count` bytes of scratch (contents not kept).
    func bytes(_ count: Int) -> UnsafeMutableRawPointer {
        if count > byteCapacity {
            bytes.deallocate()
            byteCapacity = max(count, byteCapacity * 2)
            bytes = .allocate(byteCount: byteCapacity, alignment: 16)
        }
        return bytes
    }

    /// Room for at least `count` levels or indices.
    func levels(_ count: Int) -> UnsafeMutablePointer<UInt32> {
        if count > levelCapacity {
            levels.deallocate()
            levelCapacity = max(count, levelCapacity * 2)
            levels = .allocate(capacity: levelCapacity)
        }
        return levels
    }
}

/// Reads the pages of one column chunk: page headers, decompression, definition levels and
/// dictionary indices are handled here; a ``ParquetValueSink`` decodes the values of its type.
enum ParquetColumnReader {
    /// Decodes the column chunk `meta` of `plan` (holding `rows` rows) from `file` into `out`,
    /// as 8-byte slots (Int64 or Double bit patterns), dividing DECIMAL values by 10^scale.
    ///
    /// - Parameters:
    ///   - file: The whole file.
    ///   - dataEnd: Where the footer starts; pages must end before it.
    ///   - out: Room for `rows` 8-byte values.
    /// - Returns: Counts of nulls filled and pages read.
    /// - Throws: ``ParquetError``, as the generic overload.
    static func decodeChunk(file: UnsafeRawBufferPointer, dataEnd: Int, meta: ParquetColumnMetaData, plan: ParquetColumnPlan,
                            rows: Int, into out: UnsafeMutablePointer<UInt64>, scratch: ParquetScratch) throws(ParquetError) -> ParquetChunkOutcome {
        var sink = ParquetSlotSink(out: out, nullFill: plan.nullFill)
        let outcome = try decodeChunk(file: file, dataEnd: dataEnd, meta: meta, plan: plan, rows: rows, into: &sink, scratch: scratch)
        if let scale = plan.decimalScale, scale != 0 {
            let d = UnsafeMutableRawPointer(out).assumingMemoryBound(to: Double.self)
            let divisor = pow10(scale)
            for i in 0..<rows { d[i] /= divisor }
        }
        return outcome
    }

    /// Decodes the column chunk `meta` of `plan` (holding `rows` rows) from `file` into `sink`.
    ///
    /// - Parameters:
    ///   - file: The whole file.
    ///   - dataEnd: Where the footer starts; pages must end before it.
    ///   - sink: The decoder of the column's values, with room for `rows` of them.
    /// - Returns: Counts of nulls filled and pages read.
    /// - Throws: ``ParquetError``: malformed pages, unsupported encodings or codecs, and a data
    ///   error "null in row N" (0-based within the chunk in ``ParquetError/nullRow``) when a
    ///   null meets a column that may not have one.
    static func decodeChunk<Sink: ParquetValueSink>(file: UnsafeRawBufferPointer, dataEnd: Int, meta: ParquetColumnMetaData,
                                                    plan: ParquetColumnPlan, rows: Int, into sink: inout Sink,
                                                    scratch: ParquetScratch) throws(ParquetError) -> ParquetChunkOutcome {
        guard let base = file.baseAddress?.assumingMemoryBound(to: UInt8.self) else { throw .malformed("empty file") }
        guard ParquetDecompressor.isSupported(meta.codec) else {
            throw .unsupported("the \(ParquetCodec.name(meta.codec)) codec; supported: UNCOMPRESSED, SNAPPY, GZIP, ZSTD")
        }
        guard meta.type == plan.type.rawValue else {
            throw .malformed("column chunk type \(meta.type) differs from the schema's \(plan.type.name)")
        }
        var start = meta.dataPageOffset
        if let d = meta.dictionaryPageOffset, d > 0, d < start { start = d }
        let (chunkEnd64, overflow) = start.addingReportingOverflow(meta.totalCompressedSize)
        guard start >= 4, meta.totalCompressedSize >= 0, !overflow, chunkEnd64 <= Int64(dataEnd) else {
            throw .malformed("column chunk at \(start) of \(meta.totalCompressedSize) bytes lies outside the file's data")
        }
        let chunkEnd = Int(chunkEnd64)
        var pos = Int(start)
        var outcome = ParquetChunkOutcome()
        var written = 0

        while written < rows {
            guard pos < chunkEnd else { throw .malformed("column chunk ends after \(written) of \(rows) values") }
            var reader = ThriftCompactReader(base: base, start: pos, end: chunkEnd)
            let header = try ParquetPageHeader(reading: &reader)
            pos = reader.position
            let compressedSize = Int(header.compressedPageSize)
            let uncompressedSize = Int(header.uncompressedPageSize)
            guard compressedSize >= 0, uncompressedSize >= 0, compressedSize <= chunkEnd - pos else {
                throw .malformed("page of \(compressedSize) bytes runs past its column chunk")
            }
            let page = UnsafeRawBufferPointer(start: base + pos, count: compressedSize)
            pos += compressedSize

            switch ParquetPageType(rawValue: header.type) {
            case .dictionaryPage:
                guard let h = header.dictionaryPage else { throw .malformed("dictionary page without its header") }
                guard h.encoding == ParquetEncoding.plain.rawValue || h.encoding == ParquetEncoding.plainDictionary.rawValue else {
                    throw .unsupported("dictionary page in the \(ParquetEncoding.name(h.encoding)) encoding")
                }
                let data = try decompressed(page, codec: meta.codec, size: uncompressedSize, scratch: scratch)
                try sink.readDictionary(data, count: Int(h.numValues), plan: plan)
                outcome.pages += 1

            case .dataPage:
                guard let h = header.dataPage else { throw .malformed("data page without its header") }
                let numValues = Int(h.numValues)
                guard numValues >= 0, numValues <= rows - written else {
                    throw .malformed("data page of \(h.numValues) values overruns the column chunk's \(rows) rows")
                }
                let data: UnsafeRawBufferPointer
                switch try sink.readDirect(page, header: h, plan: plan, codec: meta.codec, uncompressedSize: uncompressedSize,
                                           row: written, scratch: scratch) {
                case .decoded:
                    written += numValues
                    outcome.pages += 1
                    continue
                case .decompressed(let bytes):
                    data = bytes
                case .declined:
                    data = try decompressed(page, codec: meta.codec, size: uncompressedSize, scratch: scratch)
                }
                try decodeV1Values(data, header: h, plan: plan, numValues: numValues, row: written, sink: &sink,
                                   scratch: scratch, outcome: &outcome)
                written += numValues
                outcome.pages += 1

            case .dataPageV2:
                guard let h = header.dataPageV2 else { throw .malformed("data page v2 without its header") }
                let numValues = Int(h.numValues)
                guard numValues >= 0, numValues <= rows - written else {
                    throw .malformed("data page of \(h.numValues) values overruns the column chunk's \(rows) rows")
                }
                let repLength = Int(h.repetitionLevelsByteLength), defLength = Int(h.definitionLevelsByteLength)
                guard repLength >= 0, defLength >= 0, repLength <= compressedSize - defLength, repLength + defLength <= uncompressedSize else {
                    throw .malformed("data page v2 level lengths exceed the page")
                }
                guard repLength == 0 else { throw .unsupported("repetition levels (nested or repeated values)") }
                let encoded = UnsafeRawBufferPointer(rebasing: page[(repLength + defLength)...])
                let valuesSize = uncompressedSize - repLength - defLength
                var values = encoded
                if h.isCompressed {
                    values = try decompressed(encoded, codec: meta.codec, size: valuesSize, scratch: scratch)
                } else if encoded.count != valuesSize {
                    throw .malformed("uncompressed page v2 holds \(encoded.count) bytes of values, its header says \(valuesSize)")
                }
                var levels: UnsafePointer<UInt32>?
                var nonNull = numValues
                if plan.maxDefinitionLevel > 0 {
                    let levelBytes = UnsafeRawBufferPointer(rebasing: page[repLength..<(repLength + defLength)])
                    (levels, nonNull) = try decodeLevels(levelBytes, count: numValues, scratch: scratch)
                }
                try decodeValues(values, encoding: h.encoding, plan: plan, numValues: numValues, nonNull: nonNull,
                                 levels: levels, row: written, sink: &sink, scratch: scratch, outcome: &outcome)
                written += numValues
                outcome.pages += 1

            default:
                continue  // index pages and unknown page types are skipped
            }
        }
        return outcome
    }

    /// 10^e as a Double (exact up to 10^22).
    static func pow10(_ e: Int) -> Double {
        var r = 1.0
        for _ in 0..<min(abs(e), 400) { r *= 10 }
        return e >= 0 ? r : 1 / r
    }

    /// Decodes a decompressed v1 data page: length-prefixed definition levels, then values.
    static func decodeV1Values<Sink: ParquetValueSink>(_ data: UnsafeRawBufferPointer, header h: ParquetDataPageHeader,
                                                      plan: ParquetColumnPlan, numValues: Int, row: Int, sink: inout Sink,
                                                      scratch: ParquetScratch, outcome: inout ParquetChunkOutcome) throws(ParquetError) {
        var values = data
        var levels: UnsafePointer<UInt32>?
        var nonNull = numValues
        if plan.maxDefinitionLevel > 0 {
            guard h.definitionLevelEncoding == ParquetEncoding.rle.rawValue else {
                throw .unsupported("definition levels in the \(ParquetEncoding.name(h.definitionLevelEncoding)) encoding")
            }
            guard data.count >= 4 else { throw .malformed("data page too short for its definition levels") }
            let length = Int(data.loadUnaligned(as: UInt32.self))
            guard length <= data.count - 4 else { throw .malformed("definition levels run past their page") }
            let levelBytes = UnsafeRawBufferPointer(rebasing: data[4..<(4 + length)])
            (levels, nonNull) = try decodeLevels(levelBytes, count: numValues, scratch: scratch)
            values = UnsafeRawBufferPointer(rebasing: data[(4 + length)...])
        }
        try decodeValues(values, encoding: h.encoding, plan: plan, numValues: numValues, nonNull: nonNull,
                         levels: levels, row: row, sink: &sink, scratch: scratch, outcome: &outcome)
    }

    /// The page's bytes after decompression (in `scratch`, or the page itself when uncompressed).
    private static func decompressed(_ page: UnsafeRawBufferPointer, codec: Int32, size: Int,
                                     scratch: ParquetScratch) throws(ParquetError) -> UnsafeRawBufferPointer {
        if codec == ParquetCodec.uncompressed.rawValue {
            guard page.count == size else { throw .malformed("uncompressed page holds \(page.count) bytes, its header says \(size)") }
            return page
        }
        let buffer = scratch.bytes(size)
        try scratch.decompressor.decompress(codec, source: page, into: buffer, count: size)
        return UnsafeRawBufferPointer(start: buffer, count: size)
    }

    /// Definition levels of a flat optional column (bit width 1): the levels and the count of
    /// non-null values, or nil levels when every value is present.
    static func decodeLevels(_ bytes: UnsafeRawBufferPointer, count: Int,
                             scratch: ParquetScratch) throws(ParquetError) -> (UnsafePointer<UInt32>?, Int) {
        // The common case, a page without nulls: one RLE run of 1s covering every value.
        if bytes.count >= 2, let p = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) {
            var header = 0, shift = 0, i = 0
            while i < min(bytes.count, 5) {
                header |= Int(p[i] & 0x7F) << shift
                shift += 7
                i += 1
                if p[i - 1] & 0x80 == 0 { break }
            }
            if p[i - 1] & 0x80 == 0, header & 1 == 0, header >> 1 >= count, i < bytes.count, p[i] == 1 {
                return (nil, count)
            }
        }
        // Twice the room: dictionary indices may follow the levels in the same buffer.
        let levels = scratch.levels(2 * count)
        try RLEHybrid.decode(bytes, bitWidth: 1, count: count, into: levels)
        var present = 0
        for i in 0..<count { present &+= Int(levels[i]) }
        return (present == count ? nil : UnsafePointer(levels), present)
    }

    /// Decodes one page's values into the sink at `row`, spreading them over the null slots.
    private static func decodeValues<Sink: ParquetValueSink>(_ values: UnsafeRawBufferPointer, encoding: Int32, plan: ParquetColumnPlan,
                                                            numValues: Int, nonNull: Int, levels: UnsafePointer<UInt32>?, row: Int,
                                                            sink: inout Sink, scratch: ParquetScratch,
                                                            outcome: inout ParquetChunkOutcome) throws(ParquetError) {
        var fill: Sink.Value?
        if let levels {
            guard let value = sink.nullFill else {
                var i = 0
                while levels[i] != 0 { i += 1 }
                throw ParquetError(kind: .data, column: plan.name, reason: "null", nullRow: row + i)
            }
            fill = value
        }
        let out = sink.out + row
        switch ParquetEncoding(rawValue: encoding) {
        case .plain:
            try sink.decodePlain(values, count: nonNull, plan: plan, into: out)
        case .rleDictionary, .plainDictionary:
            guard let dictionary = sink.dictionary else { throw .malformed("dictionary-encoded page without a dictionary page") }
            if nonNull > 0 {
                guard values.count >= 1 else { throw .malformed("dictionary-encoded page without its bit width") }
                let bitWidth = Int(values[0])
                // The levels may still be in use: indices go after them in the same buffer.
                let indices = levels == nil ? scratch.levels(nonNull) : scratch.levels(numValues + nonNull) + numValues
                try RLEHybrid.decode(UnsafeRawBufferPointer(rebasing: values[1...]), bitWidth: bitWidth, count: nonNull, into: indices)
                try dictionary.withUnsafeBufferPointer { (d) throws(ParquetError) in
                    try ParquetPlain.gather(d, indices: indices, count: nonNull, into: out)
                }
            }
        case .rle:
            try sink.decodeRLE(values, count: nonNull, scratch: scratch, into: out)
        default:
            throw unsupportedEncoding(encoding)
        }
        guard let levels, let fill else { return }
        // Spread the packed values over the rows, back to front, filling the nulls.
        var source = nonNull - 1
        var i = numValues - 1
        while i >= 0 {
            if levels[i] != 0 {
                out[i] = out[source]
                source -= 1
            } else {
                out[i] = fill
            }
            i -= 1
        }
        outcome.nulls += numValues - nonNull
    }

    /// The error for a value encoding this reader does not implement.
    static func unsupportedEncoding(_ encoding: Int32) -> ParquetError {
        .unsupported("the \(ParquetEncoding.name(encoding)) encoding; supported: PLAIN, RLE_DICTIONARY, PLAIN_DICTIONARY")
    }
}

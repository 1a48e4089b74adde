/// Where the values of one column chunk go: the part of decoding that depends on the type.
///
/// ``ParquetColumnReader`` walks the pages (headers, decompression, definition levels,
/// dictionary indices, nulls) and hands each page's values to the sink, which writes them to
/// ``out`` at the page's first row. Rows are written in order, each once.
protocol ParquetValueSink {
    associatedtype Value
    /// What a dictionary holds before its page is decoded into it.
    static var placeholder: Value { get }
    /// Row 0 of the chunk, with room for all of its rows.
    var out: UnsafeMutablePointer<Value> { get }
    /// What a null becomes, or nil when a null is an error.
    var nullFill: Value? { get }
    /// The chunk's dictionary, once its page was read.
    var dictionary: [Value]? { get set }
    /// How many PLAIN values `byteCount` bytes hold at the most (bounds a dictionary before it is allocated).
    func plainCapacity(_ byteCount: Int, plan: ParquetColumnPlan) -> Int
    /// Decodes `count` PLAIN values from `data` into `out`.
    /// - Throws: ``ParquetError`` (malformed) when `data` holds fewer or damaged values.
    func decodePlain(_ data: UnsafeRawBufferPointer, count: Int, plan: ParquetColumnPlan,
                     into out: UnsafeMutablePointer<Value>) throws(ParquetError)
    /// Decodes `count` RLE-encoded values (booleans only); others throw unsupported.
    func decodeRLE(_ data: UnsafeRawBufferPointer, count: Int, scratch: ParquetScratch,
                   into out: UnsafeMutablePointer<Value>) throws(ParquetError)
    /// Reads a v1 data page (still compressed) holding the rows from `row`, when the sink can do
    /// better than decompress-then-decode; see ``ParquetDirectRead``.
    func readDirect(_ page: UnsafeRawBufferPointer, header: ParquetDataPageHeader, plan: ParquetColumnPlan, codec: Int32,
                    uncompressedSize: Int, row: Int, scratch: ParquetScratch) throws(ParquetError) -> ParquetDirectRead
}

/// What ``ParquetValueSink/readDirect(_:header:plan:codec:uncompressedSize:row:scratch:)`` did.
enum ParquetDirectRead {
    /// The page's values are in place.
    case decoded
    /// The page was decompressed to these bytes; decode them the ordinary way.
    case decompressed(UnsafeRawBufferPointer)
    /// Nothing was done.
    case declined
}

extension ParquetValueSink {
    /// Decodes a dictionary page of `count` PLAIN values into ``dictionary``.
    mutating func readDictionary(_ data: UnsafeRawBufferPointer, count: Int, plan: ParquetColumnPlan) throws(ParquetError) {
        guard count >= 0, count <= plainCapacity(data.count, plan: plan) else {
            throw .malformed("dictionary of \(count) values does not fit its page")
        }
        var values = [Value](repeating: Self.placeholder, count: count)
        if count > 0 {
            try values.withUnsafeMutableBufferPointer { (b) throws(ParquetError) in
                try decodePlain(data, count: count, plan: plan, into: b.baseAddress!)
            }
        }
        dictionary = values
    }

    func decodeRLE(_ data: UnsafeRawBufferPointer, count: Int, scratch: ParquetScratch,
                   into out: UnsafeMutablePointer<Value>) throws(ParquetError) {
        throw ParquetColumnReader.unsupportedEncoding(ParquetEncoding.rle.rawValue)
    }

    func readDirect(_ page: UnsafeRawBufferPointer, header: ParquetDataPageHeader, plan: ParquetColumnPlan, codec: Int32,
                    uncompressedSize: Int, row: Int, scratch: ParquetScratch) throws(ParquetError) -> ParquetDirectRead {
        .declined
    }
}

/// 8-byte slots: INT32, INT64, FLOAT and DOUBLE values as Int64 or Double bit patterns
/// (``ParquetColumnPlan/toDouble``).
struct ParquetSlotSink: ParquetValueSink {
    static var placeholder: UInt64 { 0 }
    let out: UnsafeMutablePointer<UInt64>
    let nullFill: UInt64?
    var dictionary: [UInt64]?

    init(out: UnsafeMutablePointer<UInt64>, nullFill: UInt64?) {
        self.out = out
        self.nullFill = nullFill
    }

    func plainCapacity(_ byteCount: Int, plan: ParquetColumnPlan) -> Int {
        ParquetPlain.width(plan.type).map { byteCount / $0 } ?? 0
    }

    func decodePlain(_ data: UnsafeRawBufferPointer, count: Int, plan: ParquetColumnPlan,
                     into out: UnsafeMutablePointer<UInt64>) throws(ParquetError) {
        try ParquetPlain.decode(data, type: plan.type, unsigned: plan.unsigned, toDouble: plan.toDouble,
                                count: count, into: UnsafeMutableRawPointer(out))
    }

    /// PLAIN pages of 8-byte values that need no conversion are decompressed straight into the output.
    func readDirect(_ page: UnsafeRawBufferPointer, header h: ParquetDataPageHeader, plan: ParquetColumnPlan, codec: Int32,
                    uncompressedSize: Int, row: Int, scratch: ParquetScratch) throws(ParquetError) -> ParquetDirectRead {
        let numValues = Int(h.numValues)
        guard h.encoding == ParquetEncoding.plain.rawValue, codec != ParquetCodec.uncompressed.rawValue,
              (plan.type == .double && plan.toDouble) || (plan.type == .int64 && !plan.toDouble) else { return .declined }
        // A REQUIRED page: exactly the values.
        if plan.maxDefinitionLevel == 0 {
            guard uncompressedSize == numValues * 8 else { return .declined }
            try scratch.decompressor.decompress(codec, source: page, into: out + row, count: uncompressedSize)
            return .decoded
        }
        // An OPTIONAL page without nulls is laid out as a 4-byte length, the levels, then exactly
        // the values: it is decompressed so the values land in place, its prefix overwriting (and
        // then restoring) the end of the previous page's values. Anything unexpected goes the
        // ordinary way.
        let prefix = uncompressedSize - numValues * 8
        guard plan.maxDefinitionLevel == 1, h.definitionLevelEncoding == ParquetEncoding.rle.rawValue,
              prefix >= 5, prefix <= 64, row * 8 >= prefix else { return .declined }
        let destination = UnsafeMutableRawPointer(out + row) - prefix
        var saved = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &saved) { $0.baseAddress!.copyMemory(from: destination, byteCount: prefix) }
        try scratch.decompressor.decompress(codec, source: page, into: destination, count: uncompressedSize)
        let length = Int(destination.loadUnaligned(as: UInt32.self))
        var inPlace = false
        if length == prefix - 4 {
            let (levels, _) = try ParquetColumnReader.decodeLevels(UnsafeRawBufferPointer(start: destination + 4, count: length),
                                                                   count: numValues, scratch: scratch)
            inPlace = levels == nil
        }
        if inPlace {
            withUnsafeBytes(of: &saved) { destination.copyMemory(from: $0.baseAddress!, byteCount: prefix) }
            return .decoded
        }
        // Not the expected layout: move the page aside, restore, decode normally.
        let copy = scratch.bytes(uncompressedSize)
        copy.copyMemory(from: destination, byteCount: uncompressedSize)
        withUnsafeBytes(of: &saved) { destination.copyMemory(from: $0.baseAddress!, byteCount: prefix) }
        return .decompressed(UnsafeRawBufferPointer(start: copy, count: uncompressedSize))
    }
}

/// BOOLEAN values: PLAIN is bit-packed, least significant bit first; RLE (data pages v2) is the
/// RLE/bit-packed hybrid of bit width 1 after a 4-byte length.
struct ParquetBooleanSink: ParquetValueSink {
    static var placeholder: Bool { false }
    let out: UnsafeMutablePointer<Bool>
    var nullFill: Bool? { nil }
    var dictionary: [Bool]?

    init(out: UnsafeMutablePointer<Bool>) { self.out = out }

    func plainCapacity(_ byteCount: Int, plan: ParquetColumnPlan) -> Int { byteCount * 8 }

    func decodePlain(_ data: UnsafeRawBufferPointer, count: Int, plan: ParquetColumnPlan,
                     into out: UnsafeMutablePointer<Bool>) throws(ParquetError) {
        guard count > 0 else { return }
        guard data.count >= (count + 7) / 8 else {
            throw .malformed("page holds \(data.count) bytes of values, \(count) BOOLEAN values need \((count + 7) / 8)")
        }
        for i in 0..<count { out[i] = data[i >> 3] >> UInt8(i & 7) & 1 != 0 }
    }

    func decodeRLE(_ data: UnsafeRawBufferPointer, count: Int, scratch: ParquetScratch,
                   into out: UnsafeMutablePointer<Bool>) throws(ParquetError) {
        guard count > 0 else { return }
        guard data.count >= 4 else { throw .malformed("RLE boolean page too short for its length") }
        let length = Int(data.loadUnaligned(as: UInt32.self))
        guard length <= data.count - 4 else { throw .malformed("RLE booleans run past their page") }
        let bits = scratch.levels(count)
        try RLEHybrid.decode(UnsafeRawBufferPointer(rebasing: data[4..<(4 + length)]), bitWidth: 1, count: count, into: bits)
        for i in 0..<count { out[i] = bits[i] != 0 }
    }
}

/// BYTE_ARRAY values with the STRING annotation: PLAIN is a 4-byte little-endian length, then
/// that many bytes of UTF-8, for each value. Lengths, bounds and UTF-8 are checked.
struct ParquetStringSink: ParquetValueSink {
    static var placeholder: String { "" }
    /// Initialised memory (the strings are assigned, not initialised).
    let out: UnsafeMutablePointer<String>
    var nullFill: String? { nil }
    var dictionary: [String]?

    init(out: UnsafeMutablePointer<String>) { self.out = out }

    func plainCapacity(_ byteCount: Int, plan: ParquetColumnPlan) -> Int { byteCount / 4 }

    func decodePlain(_ data: UnsafeRawBufferPointer, count: Int, plan: ParquetColumnPlan,
                     into out: UnsafeMutablePointer<String>) throws(ParquetError) {
        guard count > 0 else { return }
        guard let base = data.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw .malformed("page holds no bytes for its \(count) strings")
        }
        let end = data.count
        var pos = 0
        for i in 0..<count {
            guard end - pos >= 4 else { throw .malformed("string \(i + 1) of \(count) runs past its page") }
            let length = Int(UnsafeRawPointer(base + pos).loadUnaligned(as: UInt32.self))
            pos += 4
            guard length <= end - pos else { throw .malformed("string \(i + 1) of \(count) runs past its page") }
            let bytes = UnsafeBufferPointer(start: base + pos, count: length)
            guard UTF8Validation.isValid(bytes) else { throw .malformed("string \(i + 1) of \(count) in its page is not valid UTF-8") }
            out[i] = String(decoding: bytes, as: UTF8.self)
            pos += length
        }
    }
}

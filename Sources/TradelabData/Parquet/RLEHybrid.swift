/// The RLE / bit-packed hybrid encoding (Encodings.md), used for definition levels and
/// dictionary indices.
///
/// A sequence of runs, each introduced by a ULEB128 header: an even header `2n` is a repeated
/// run of `n` copies of one value stored in `ceil(bitWidth / 8)` little-endian bytes; an odd
/// header `2n + 1` is `n` groups of 8 bit-packed values (`bitWidth` bytes per group, least
/// significant bit first).
enum RLEHybrid {
    /// Decodes `count` values into `out`.
    ///
    /// - Parameters:
    ///   - bytes: The encoded runs (without a length prefix).
    ///   - bitWidth: Bits per value, 0...32.
    ///   - count: How many values to produce; runs beyond them are ignored, and the last
    ///     bit-packed group may be cut short after the last value needed.
    ///   - out: Room for `count` values.
    /// - Throws: ``ParquetError`` (malformed) when the runs end before `count` values.
    /// - Complexity: O(count + bytes.count).
    static func decode(_ bytes: UnsafeRawBufferPointer, bitWidth: Int, count: Int,
                       into out: UnsafeMutablePointer<UInt32>) throws(ParquetError) {
        guard bitWidth >= 0 && bitWidth <= 32 else { throw .malformed("bit width \(bitWidth) is outside 0...32") }
        guard count > 0 else { return }
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw .malformed("no level or index data where \(count) values are expected")
        }
        let n = bytes.count
        let byteWidth = (bitWidth + 7) / 8
        let mask: UInt64 = (1 << UInt64(bitWidth)) - 1
        var pos = 0
        var produced = 0
        while produced < count {
            // Run header (ULEB128).
            var header: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard pos < n else { throw .malformed("RLE/bit-packed data ends after \(produced) of \(count) values") }
                let b = base[pos]
                pos += 1
                header |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { break }
                shift += 7
                guard shift < 64 else { throw .malformed("RLE run header longer than 10 bytes") }
            }
            let runLength = header >> 1
            if header & 1 == 0 {
                guard n - pos >= byteWidth else { throw .malformed("RLE run value cut short") }
                var value: UInt64 = 0
                for k in 0..<byteWidth { value |= UInt64(base[pos + k]) << UInt64(8 * k) }
                pos += byteWidth
                let take = Int(min(runLength, UInt64(count - produced)))
                (out + produced).initialize(repeating: UInt32(truncatingIfNeeded: value & mask), count: take)
                produced += take
            } else {
                // runLength groups of 8 values, bitWidth bytes each.
                guard runLength <= UInt64(n) else { throw .malformed("bit-packed run of \(runLength) groups runs past the data") }
                let values = Int(runLength) * 8
                let take = min(values, count - produced)
                let groupBytes = Int(runLength) * bitWidth
                let needed = (take * bitWidth + 7) / 8
                guard n - pos >= needed else { throw .malformed("bit-packed run cut short") }
                if bitWidth == 0 {
                    (out + produced).initialize(repeating: 0, count: take)
                } else {
                    let dst = out + produced
                    let src = UnsafeRawPointer(base + pos)
                    let available = n - pos
                    // Bulk: one unaligned 64-bit load per value while 8 bytes remain readable.
                    let fast = available >= 8 ? min(take, ((available - 8) * 8) / bitWidth + 1) : 0
                    var k = 0
                    while k < fast {
                        let bit = k * bitWidth
                        let word = src.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self)
                        dst[k] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
                        k += 1
                    }
                    // Tail: bit by byte, within the `needed` bytes checked above.
                    while k < take {
                        var bit = k * bitWidth
                        var value: UInt64 = 0
                        var got = 0
                        while got < bitWidth {
                            let offset = bit & 7
                            let width = min(8 - offset, bitWidth - got)
                            let byte = UInt64(base[pos + (bit >> 3)])
                            value |= ((byte >> UInt64(offset)) & ((1 << UInt64(width)) - 1)) << UInt64(got)
                            got += width
                            bit += width
                        }
                        dst[k] = UInt32(truncatingIfNeeded: value)
                        k += 1
                    }
                }
                produced += take
                pos += min(groupBytes, n - pos)
            }
        }
    }
}

/// Encoding of plain values into 8-byte slots, and the dictionary gather.
enum ParquetPlain {
    /// Bytes per PLAIN value of a fixed-width physical type.
    static func width(_ type: ParquetPhysicalType) -> Int? {
        switch type {
        case .int32, .float: 4
        case .int64, .double: 8
        case .int96: 12
        default: nil
        }
    }

    /// Decodes `count` PLAIN values of `type` from `source` into 8-byte slots at `out`: Doubles
    /// when `toDouble`, else Int64s.
    ///
    /// - Throws: ``ParquetError`` (malformed) when `source` holds fewer than `count` values.
    static func decode(_ source: UnsafeRawBufferPointer, type: ParquetPhysicalType, unsigned: Bool, toDouble: Bool,
                       count: Int, into out: UnsafeMutableRawPointer) throws(ParquetError) {
        guard count > 0 else { return }
        guard let w = width(type), type != .int96 else { throw .unsupported("decoding \(type.name) values") }
        guard let src = source.baseAddress, source.count / w >= count else {
            throw .malformed("page holds \(source.count) bytes of values, \(count) \(type.name) values need \(count * w)")
        }
        switch (type, toDouble) {
        case (.double, true), (.int64, false):
            out.copyMemory(from: src, byteCount: count * 8)
        case (.float, true):
            let d = out.assumingMemoryBound(to: Double.self)
            for i in 0..<count { d[i] = Double(Float(bitPattern: src.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
        case (.int32, true):
            let d = out.assumingMemoryBound(to: Double.self)
            if unsigned {
                for i in 0..<count { d[i] = Double(src.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)) }
            } else {
                for i in 0..<count { d[i] = Double(src.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)) }
            }
        case (.int64, true):
            let d = out.assumingMemoryBound(to: Double.self)
            if unsigned {
                for i in 0..<count { d[i] = Double(src.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)) }
            } else {
                for i in 0..<count { d[i] = Double(src.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)) }
            }
        case (.int32, false):
            let d = out.assumingMemoryBound(to: Int64.self)
            if unsigned {
                for i in 0..<count { d[i] = Int64(src.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)) }
            } else {
                for i in 0..<count { d[i] = Int64(src.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)) }
            }
        default:
            throw .unsupported("\(type.name) values as \(toDouble ? "numbers" : "times")")
        }
    }

    /// Writes `dictionary[indices[i]]` for `count` indices, checking every index (`out` holds
    /// initialised values or trivial ones).
    static func gather<Value>(_ dictionary: UnsafeBufferPointer<Value>, indices: UnsafePointer<UInt32>, count: Int,
                              into out: UnsafeMutablePointer<Value>) throws(ParquetError) {
        let size = UInt32(truncatingIfNeeded: dictionary.count)
        guard let dict = dictionary.baseAddress else {
            if count > 0 { throw .malformed("dictionary index into an empty dictionary") }
            return
        }
        var bad = false
        for i in 0..<count {
            let k = indices[i]
            bad = bad || k >= size
            out[i] = dict[Int(k < size ? k : 0)]
        }
        if bad { throw .malformed("dictionary index out of range (dictionary has \(dictionary.count) entries)") }
    }
}

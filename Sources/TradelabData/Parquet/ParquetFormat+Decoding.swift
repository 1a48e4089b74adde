/// Decoding of the format model from Thrift compact bytes. Unknown fields are skipped; a field
/// with an unexpected wire type is treated as unknown.

extension ThriftCompactReader {
    /// Reads an i32 field value if the wire type fits, else skips it; nil when skipped.
    mutating func i32(_ field: ThriftField) throws(ParquetError) -> Int32? {
        guard field.type == .i32 else { return nil }
        return try readI32()
    }

    mutating func i64(_ field: ThriftField) throws(ParquetError) -> Int64? {
        guard field.type == .i64 || field.type == .i32 else { return nil }
        return try readI64()
    }
}

extension ParquetFileMetaData {
    init(reading r: inout ThriftCompactReader) throws(ParquetError) {
        self.init()
        var sawSchema = false, sawRowGroups = false
        try r.readStruct { (r: inout ThriftCompactReader, f: ThriftField) throws(ParquetError) -> Bool in
            switch (f.id, f.type) {
            case (1, .i32): version = try r.readI32()
            case (2, .list):
                schema = try r.readList { (r: inout ThriftCompactReader, t: ThriftType) throws(ParquetError) in
                    guard t == .structure else { throw .malformed("schema list holds no structs") }
                    return try ParquetSchemaElement(reading: &r)
                }
                sawSchema = true
            case (3, .i64), (3, .i32): numRows = try r.readI64()
            case (4, .list):
                rowGroups = try r.readList { (r: inout ThriftCompactReader, t: ThriftType) throws(ParquetError) in
                    guard t == .structure else { throw .malformed("row group list holds no structs") }
                    return try ParquetRowGroup(reading: &r)
                }
                sawRowGroups = true
            case (6, .binary): createdBy = try r.readString()
            case (8, .structure):
                isEncrypted = true
                return false
            default: return false
            }
            return true
        }
        guard sawSchema, sawRowGroups else { throw .malformed("file metadata lacks its schema or row groups") }
    }
}

extension ParquetSchemaElement {
    init(reading r: inout ThriftCompactReader) throws(ParquetError) {
        self.init()
        var sawName = false
        try r.readStruct { (r: inout ThriftCompactReader, f: ThriftField) throws(ParquetError) -> Bool in
            switch (f.id, f.type) {
            case (1, .i32):
                let raw = try r.readI32()
                rawType = raw
                type = ParquetPhysicalType(rawValue: raw)
            case (2, .i32): typeLength = try r.readI32()
            case (3, .i32): repetition = try r.readI32()
            case (4, .binary):
                name = try r.readString()
                sawName = true
            case (5, .i32): numChildren = try r.readI32()
            case (6, .i32): convertedType = try r.readI32()
            case (7, .i32): scale = try r.readI32()
            case (8, .i32): precision = try r.readI32()
            case (10, .structure): logicalType = try ParquetLogicalType(reading: &r)
            default: return false
            }
            return true
        }
        guard sawName else { throw .malformed("schema element without a name") }
    }
}

extension ParquetTimeUnit {
    /// Reads the `TimeUnit` union; nil for a unit this reader does not know.
    static func read(_ r: inout ThriftCompactReader) throws(ParquetError) -> ParquetTimeUnit? {
        var unit: ParquetTimeUnit?
        try r.readStruct { (_: inout ThriftCompactReader, f: ThriftField) throws(ParquetError) -> Bool in
            switch f.id {
            case 1: unit = .millis
            case 2: unit = .micros
            case 3: unit = .nanos
            default: break
            }
            return false  // the member is an empty struct: let the reader skip it
        }
        return unit
    }
}

extension ParquetLogicalType {
    init(reading r: inout ThriftCompactReader) throws(ParquetError) {
        var result: ParquetLogicalType = .other(0)
        try r.readStruct { (r: inout ThriftCompactReader, f: ThriftField) throws(ParquetError) -> Bool in
            guard f.type == .structure else { return false }
            switch f.id {
            case 1: result = .string
            case 6: result = .date
            case 5:
                var scale: Int32 = 0, precision: Int32 = 0
                try r.readStruct { (r: inout ThriftCompactReader, g: ThriftField) throws(ParquetError) -> Bool in
                    switch (g.id, g.type) {
                    case (1, .i32): scale = try r.readI32()
                    case (2, .i32): precision = try r.readI32()
                    default: return false
                    }
                    return true
                }
                result = .decimal(scale: scale, precision: precision)
                return true
            case 7, 8:
                var utc = false
                var unit: ParquetTimeUnit?
                try r.readStruct { (r: inout ThriftCompactReader, g: ThriftField) throws(ParquetError) -> Bool in
                    switch (g.id, g.type) {
                    case (1, .boolTrue), (1, .boolFalse): utc = g.bool
                        return false
                    case (2, .structure): unit = try ParquetTimeUnit.read(&r)
                    default: return false
                    }
                    return true
                }
                result = f.id == 8 ? .timestamp(isAdjustedToUTC: utc, unit: unit) : .time(unit)
                return true
            case 10:
                var width: Int8 = 64, signed = true
                try r.readStruct { (r: inout ThriftCompactReader, g: ThriftField) throws(ParquetError) -> Bool in
                    switch (g.id, g.type) {
                    case (1, .byte): width = try r.readI8()
                    case (2, .boolTrue), (2, .boolFalse): signed = g.bool
                        return false
                    default: return false
                    }
                    return true
                }
                result = .integer(bitWidth: width, isSigned: signed)
                return true
            default: result = .other(f.id)
            }
            return false  // empty member structs are skipped by the reader
        }
        self = result
    }
}

extension ParquetStatistics {
    init(reading r: inout ThriftCompactReader) throws(ParquetError) {
        self.init()
        try r.readStruct { (r: inout ThriftCompactReader, f: ThriftField) throws(ParquetError) -> Bool in
            switch (f.id, f.type) {
            case (1, .binary): max = try r.readBinary()
            case (2, .binary): min = try r.readBinary()
            case (3, .i64): nullCount = try r.readI64()
            case (5, .binary): maxValue = try r.readBinary()
            case (6, .binary): minValue = try r.readBinary()
            case (9, .i64): nanCount = try r.readI64()
            default: return false
            }
            return true
        }
    }
}

extension ParquetColumnMetaData {
    init(reading r: inout ThriftCompactReader) throws(ParquetError) {
        self.init()
        try r.readStruct { (r: inout ThriftCompactReader, f: ThriftField) throws(ParquetError) -> Bool in
            switch (f.id, f.type) {
            case (1, .i32): type = try r.readI32()
            case (2, .list): encodings = try r.readI32List()
            case (3, .list): pathInSchema = try r.readStringList()
            case (4, .i32): codec = try r.readI32()
            case (5, .i64): numValues = try r.readI64()
            case (6, .i64): totalUncompressedSize = try r.readI64()
            case (7, .i64): totalCompressedSize = try r.readI64()
            case (9, .i64): dataPageOffset = try r.readI64()
            case (10, .i64): indexPageOffset = try r.readI64()
            case (11, .i64): dictionaryPageOffset = try r.readI64()
            case (12, .structure): statistics = try ParquetStatistics(reading: &r)
            default: return false
            }
            return true
        }
    }
}

extension ParquetColumnChunk {
    init(reading r: inout ThriftCompactReader) throws(ParquetError) {
        self.init()
        try r.readStruct { (r: inout ThriftCompactReader, f: ThriftField) throws(ParquetError) -> Bool in
            switch (f.id, f.type) {
            case (1, .binary): filePath = try r.readString()
            case (2, .i64): fileOffset = try r.readI64()
            case (3, .structure): metaData = try ParquetColumnMetaData(reading: &r)
            case (8, _), (9, _):
                isEncrypted = true
                return false
            default: return false
            }
            return true
        }
    }
}

extension ParquetRowGroup {
    init(reading r: inout ThriftCompactReader) throws(ParquetError) {
        self.init()
        try r.readStruct { (r: inout ThriftCompactReader, f: ThriftField) throws(ParquetError) -> Bool in
            switch (f.id, f.type) {
            case (1, .list):
                columns = try r.readList { (r: inout ThriftCompactReader, t: ThriftType) throws(ParquetError) in
                    guard t == .structure else { throw .malformed("column chunk list holds no structs") }
                    return try ParquetColumnChunk(reading: &r)
                }
            case (2, .i64): totalByteSize = try r.readI64()
            case (3, .i64): numRows = try r.readI64()
            default: return false
            }
            return true
        }
    }
}

extension ParquetPageHeader {
    init(reading r: inout ThriftCompactReader) throws(ParquetError) {
        self.init()
        try r.readStruct { (r: inout ThriftCompactReader, f: ThriftField) throws(ParquetError) -> Bool in
            switch (f.id, f.type) {
            case (1, .i32): type = try r.readI32()
            case (2, .i32): uncompressedPageSize = try r.readI32()
            case (3, .i32): compressedPageSize = try r.readI32()
            case (5, .structure):
                var h = ParquetDataPageHeader()
                try r.readStruct { (r: inout ThriftCompactReader, g: ThriftField) throws(ParquetError) -> Bool in
                    switch (g.id, g.type) {
                    case (1, .i32): h.numValues = try r.readI32()
                    case (2, .i32): h.encoding = try r.readI32()
                    case (3, .i32): h.definitionLevelEncoding = try r.readI32()
                    case (4, .i32): h.repetitionLevelEncoding = try r.readI32()
                    default: return false
                    }
                    return true
                }
                dataPage = h
            case (7, .structure):
                var h = ParquetDictionaryPageHeader()
                try r.readStruct { (r: inout ThriftCompactReader, g: ThriftField) throws(ParquetError) -> Bool in
                    switch (g.id, g.type) {
                    case (1, .i32): h.numValues = try r.readI32()
                    case (2, .i32): h.encoding = try r.readI32()
                    default: return false
                    }
                    return true
                }
                dictionaryPage = h
            case (8, .structure):
                var h = ParquetDataPageHeaderV2()
                try r.readStruct { (r: inout ThriftCompactReader, g: ThriftField) throws(ParquetError) -> Bool in
                    switch (g.id, g.type) {
                    case (1, .i32): h.numValues = try r.readI32()
                    case (2, .i32): h.numNulls = try r.readI32()
                    case (3, .i32): h.numRows = try r.readI32()
                    case (4, .i32): h.encoding = try r.readI32()
                    case (5, .i32): h.definitionLevelsByteLength = try r.readI32()
                    case (6, .i32): h.repetitionLevelsByteLength = try r.readI32()
                    case (7, .boolTrue), (7, .boolFalse):
                        h.isCompressed = g.bool
                        return false
                    default: return false
                    }
                    return true
                }
                dataPageV2 = h
            default: return false
            }
            return true
        }
    }
}

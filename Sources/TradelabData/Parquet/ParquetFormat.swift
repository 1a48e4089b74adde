/// The subset of the Parquet format model (`parquet.thrift`) that Tradelab reads and writes.
/// Field numbers in comments are the Thrift field ids.

/// Physical storage types (`Type`).
enum ParquetPhysicalType: Int32, Sendable {
    case boolean = 0, int32 = 1, int64 = 2, int96 = 3, float = 4, double = 5, byteArray = 6, fixedLenByteArray = 7

    var name: String {
        switch self {
        case .boolean: "BOOLEAN"
        case .int32: "INT32"
        case .int64: "INT64"
        case .int96: "INT96"
        case .float: "FLOAT"
        case .double: "DOUBLE"
        case .byteArray: "BYTE_ARRAY"
        case .fixedLenByteArray: "FIXED_LEN_BYTE_ARRAY"
        }
    }
}

/// Value encodings (`Encoding`).
enum ParquetEncoding: Int32, Sendable {
    case plain = 0, plainDictionary = 2, rle = 3, bitPacked = 4, deltaBinaryPacked = 5
    case deltaLengthByteArray = 6, deltaByteArray = 7, rleDictionary = 8, byteStreamSplit = 9

    static func name(_ raw: Int32) -> String {
        switch ParquetEncoding(rawValue: raw) {
        case .plain: "PLAIN"
        case .plainDictionary: "PLAIN_DICTIONARY"
        case .rle: "RLE"
        case .bitPacked: "BIT_PACKED"
        case .deltaBinaryPacked: "DELTA_BINARY_PACKED"
        case .deltaLengthByteArray: "DELTA_LENGTH_BYTE_ARRAY"
        case .deltaByteArray: "DELTA_BYTE_ARRAY"
        case .rleDictionary: "RLE_DICTIONARY"
        case .byteStreamSplit: "BYTE_STREAM_SPLIT"
        case nil: "encoding #\(raw)"
        }
    }
}

/// Compression codecs (`CompressionCodec`).
enum ParquetCodec: Int32, Sendable {
    case uncompressed = 0, snappy = 1, gzip = 2, lzo = 3, brotli = 4, lz4 = 5, zstd = 6, lz4Raw = 7

    static func name(_ raw: Int32) -> String {
        switch ParquetCodec(rawValue: raw) {
        case .uncompressed: "UNCOMPRESSED"
        case .snappy: "SNAPPY"
        case .gzip: "GZIP"
        case .lzo: "LZO"
        case .brotli: "BROTLI"
        case .lz4: "LZ4"
        case .zstd: "ZSTD"
        case .lz4Raw: "LZ4_RAW"
        case nil: "codec #\(raw)"
        }
    }
}

/// Page kinds (`PageType`).
enum ParquetPageType: Int32, Sendable {
    case dataPage = 0, indexPage = 1, dictionaryPage = 2, dataPageV2 = 3
}

/// Field repetition (`FieldRepetitionType`).
enum ParquetRepetition: Int32, Sendable {
    case required = 0, optional = 1, repeated = 2
}

/// The `ConvertedType` values the reader interprets.
enum ParquetConvertedType {
    static let utf8: Int32 = 0, map: Int32 = 1, mapKeyValue: Int32 = 2, list: Int32 = 3, decimal: Int32 = 5
    static let date: Int32 = 6, timeMillis: Int32 = 7, timeMicros: Int32 = 8
    static let timestampMillis: Int32 = 9, timestampMicros: Int32 = 10
    static let uint8: Int32 = 11, uint16: Int32 = 12, uint32: Int32 = 13, uint64: Int32 = 14
    static let interval: Int32 = 21
}

/// Units of `TIMESTAMP` and `TIME` logical types.
enum ParquetTimeUnit: Sendable, Equatable {
    case millis, micros, nanos
}

/// The `LogicalType` union, reduced to what matters for bars.
enum ParquetLogicalType: Sendable, Equatable {
    case string
    case date
    case time(ParquetTimeUnit?)
    case timestamp(isAdjustedToUTC: Bool, unit: ParquetTimeUnit?)
    case integer(bitWidth: Int8, isSigned: Bool)
    case decimal(scale: Int32, precision: Int32)
    /// Any other annotation, by its union field id (MAP 2, LIST 3, ENUM 4, UNKNOWN 11, JSON 12, ...).
    case other(Int16)
}

/// One node of the schema tree (`SchemaElement`).
struct ParquetSchemaElement: Sendable {
    var type: ParquetPhysicalType?          // 1
    var rawType: Int32?                      // 1, as written (for unknown types)
    var typeLength: Int32?                   // 2
    var repetition: Int32?                   // 3
    var name: String = ""                    // 4
    var numChildren: Int32?                  // 5
    var convertedType: Int32?                // 6
    var scale: Int32?                        // 7
    var precision: Int32?                    // 8
    var logicalType: ParquetLogicalType?     // 10
}

/// Column statistics (`Statistics`): raw PLAIN-encoded bounds.
struct ParquetStatistics: Sendable {
    var max: [UInt8]?                        // 1 (deprecated, signed order)
    var min: [UInt8]?                        // 2
    var nullCount: Int64?                    // 3
    var maxValue: [UInt8]?                   // 5
    var minValue: [UInt8]?                   // 6
    var nanCount: Int64?                     // 9

    /// The lower bound, preferring the new field.
    var lowerBound: [UInt8]? { minValue ?? min }
    /// The upper bound, preferring the new field.
    var upperBound: [UInt8]? { maxValue ?? max }
}

/// Metadata of one column chunk (`ColumnMetaData`).
struct ParquetColumnMetaData: Sendable {
    var type: Int32 = -1                     // 1
    var encodings: [Int32] = []              // 2
    var pathInSchema: [String] = []          // 3
    var codec: Int32 = 0                     // 4
    var numValues: Int64 = 0                 // 5
    var totalUncompressedSize: Int64 = 0     // 6
    var totalCompressedSize: Int64 = 0       // 7
    var dataPageOffset: Int64 = 0            // 9
    var indexPageOffset: Int64?              // 10
    var dictionaryPageOffset: Int64?         // 11
    var statistics: ParquetStatistics?       // 12
}

/// One column chunk of a row group (`ColumnChunk`).
struct ParquetColumnChunk: Sendable {
    var filePath: String?                    // 1
    var fileOffset: Int64 = 0                // 2
    var metaData: ParquetColumnMetaData?     // 3
    var isEncrypted = false                  // 8 or 9 present
}

/// A horizontal slice of the table (`RowGroup`).
struct ParquetRowGroup: Sendable {
    var columns: [ParquetColumnChunk] = []   // 1
    var totalByteSize: Int64 = 0             // 2
    var numRows: Int64 = 0                   // 3
}

/// The footer (`FileMetaData`).
struct ParquetFileMetaData: Sendable {
    var version: Int32 = 0                   // 1
    var schema: [ParquetSchemaElement] = []  // 2
    var numRows: Int64 = 0                   // 3
    var rowGroups: [ParquetRowGroup] = []    // 4
    var createdBy: String?                   // 6
    var isEncrypted = false                  // 8 present
}

/// `DataPageHeader` (v1).
struct ParquetDataPageHeader: Sendable {
    var numValues: Int32 = 0                 // 1
    var encoding: Int32 = 0                  // 2
    var definitionLevelEncoding: Int32 = 3   // 3
    var repetitionLevelEncoding: Int32 = 3   // 4
}

/// `DataPageHeaderV2`.
struct ParquetDataPageHeaderV2: Sendable {
    var numValues: Int32 = 0                 // 1
    var numNulls: Int32 = 0                  // 2
    var numRows: Int32 = 0                   // 3
    var encoding: Int32 = 0                  // 4
    var definitionLevelsByteLength: Int32 = 0 // 5
    var repetitionLevelsByteLength: Int32 = 0 // 6
    var isCompressed = true                  // 7
}

/// `DictionaryPageHeader`.
struct ParquetDictionaryPageHeader: Sendable {
    var numValues: Int32 = 0                 // 1
    var encoding: Int32 = 0                  // 2
}

/// `PageHeader`.
struct ParquetPageHeader: Sendable {
    var type: Int32 = -1                     // 1
    var uncompressedPageSize: Int32 = 0      // 2
    var compressedPageSize: Int32 = 0        // 3
    var dataPage: ParquetDataPageHeader?     // 5
    var dictionaryPage: ParquetDictionaryPageHeader? // 7
    var dataPageV2: ParquetDataPageHeaderV2? // 8
}

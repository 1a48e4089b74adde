import Foundation

extension ParquetWriter {
    /// Writes `table` to `path` atomically: the file is written under a temporary name in the
    /// same folder and renamed into place, as ``write(_:extraColumns:to:)`` does for bars.
    ///
    /// - Parameters:
    ///   - table: The table; its columns become REQUIRED columns of their types, in order.
    ///   - path: The destination; replaced if it exists.
    /// - Throws: ``DataFileError`` when the file cannot be written (or a page exceeds 2 GiB).
    /// - Complexity: O(rows × columns); the file is assembled in memory, then written once.
    public func write(_ table: ParquetTable, to path: String) throws(DataFileError) {
        let name = URL(fileURLWithPath: path).lastPathComponent
        var bytes = try encode(table, name: name)
        do {
            try bytes.withUnsafeMutableBytes { buffer in
                try Data(bytesNoCopy: buffer.baseAddress!, count: buffer.count, deallocator: .none)
                    .write(to: URL(fileURLWithPath: path), options: .atomic)
            }
        } catch {
            throw DataFileError(file: name, reason: "cannot write the file: \(error.localizedDescription)")
        }
    }

    /// The Parquet bytes of `table`.
    ///
    /// Every column is REQUIRED and PLAIN-encoded: INT64; INT64 `TIMESTAMP(isAdjustedToUTC=true,
    /// MILLIS)` (ConvertedType `TIMESTAMP_MILLIS` too); DOUBLE; BOOLEAN; BYTE_ARRAY with the
    /// STRING logical type (ConvertedType `UTF8`). Row groups hold ``rowGroupSize`` rows, pages
    /// are compressed with ``compression``. Chunk statistics: exact min/max (NaN left out for
    /// doubles, UTF-8 byte order for strings, false < true), null count 0, NaN count for doubles.
    ///
    /// - Parameters:
    ///   - table: The table.
    ///   - name: The file name used in errors.
    /// - Returns: The whole file.
    /// - Throws: ``DataFileError`` when compression fails or a page would exceed 2 GiB.
    /// - Complexity: O(rows × columns). With `.uncompressed`, 8-byte columns are copied into the
    ///   file in bulk, once; nothing is allocated per value.
    public func encode(_ table: ParquetTable, name: String = "table.parquet") throws(DataFileError) -> [UInt8] {
        let plainBytes = table.columns.reduce(0) { $0 + $1.plainByteCount }
        let pages = plainBytes / pageSize + table.columns.count * (table.rowCount / rowGroupSize + 1)
        var out: [UInt8] = Array("PAR1".utf8)
        out.reserveCapacity((compression == .uncompressed ? plainBytes : plainBytes / 2) + 64 * pages + 4096)
        let capacity = out.capacity
        out.withUnsafeMutableBufferPointer { adviseHugePages(UnsafeMutableRawPointer($0.baseAddress!), byteCount: capacity) }
        let chunks = ParquetChunkWriter(codec: compression.codec, pageSize: pageSize)
        var rowGroups: [ThriftCompactWriter] = []
        do throws(ParquetError) {
            var start = 0
            while start < table.rowCount {
                let end = min(table.rowCount, start + rowGroupSize)
                let groupStart = out.count
                var infos: [ChunkInfo] = []
                for (path, column) in zip(table.names, table.columns) {
                    infos.append(try chunks.write(column, rows: start..<end, path: path, into: &out))
                }
                rowGroups.append(rowGroupMetaData(infos, rows: end - start, offset: groupStart, size: out.count - groupStart,
                                                  ordinal: rowGroups.count))
                start = end
            }
        } catch {
            throw DataFileError(file: name, reason: error.renderedReason)
        }
        let footer = footer(table, rowGroups: rowGroups)
        out.append(contentsOf: footer)
        withUnsafeBytes(of: UInt32(footer.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: Array("PAR1".utf8))
        return out
    }

    /// A `RowGroup` struct.
    private func rowGroupMetaData(_ chunks: [ChunkInfo], rows: Int, offset: Int, size: Int, ordinal: Int) -> ThriftCompactWriter {
        var w = ThriftCompactWriter()
        w.beginStruct()
        w.field(1, .list)
        w.listHeader(.structure, count: chunks.count)
        for chunk in chunks {
            w.beginStruct()
            w.i64(2, 0)  // file_offset: no ColumnMetaData outside the footer
            w.field(3, .structure)
            chunk.writeMetaData(&w, codec: compression.codec)
            w.stop()  // ColumnChunk
        }
        w.i64(2, chunks.reduce(0) { $0 + $1.uncompressedSize })
        w.i64(3, Int64(rows))
        w.i64(5, Int64(offset))
        w.i64(6, Int64(size))
        w.field(7, .i16)
        w.i16(Int16(truncatingIfNeeded: ordinal))
        w.stop()
        return w
    }

    /// The `FileMetaData` struct: version 1, the schema, the row groups, `created_by` and a
    /// TypeDefinedOrder for every column.
    private func footer(_ table: ParquetTable, rowGroups: [ThriftCompactWriter]) -> [UInt8] {
        var f = ThriftCompactWriter()
        f.i32(1, 1)
        f.field(2, .list)
        f.listHeader(.structure, count: table.columns.count + 1)
        f.beginStruct()
        f.string(4, "schema")
        f.i32(5, Int32(table.columns.count))
        f.stop()
        for (name, column) in zip(table.names, table.columns) {
            f.beginStruct()
            f.i32(1, column.physicalType.rawValue)
            f.i32(3, ParquetRepetition.required.rawValue)
            f.string(4, name)
            column.writeAnnotations(&f)
            f.stop()  // SchemaElement
        }
        f.i64(3, Int64(table.rowCount))
        f.field(4, .list)
        f.listHeader(.structure, count: rowGroups.count)
        for group in rowGroups { f.bytes.append(contentsOf: group.bytes) }
        f.string(6, createdBy)
        f.field(7, .list)
        f.listHeader(.structure, count: table.columns.count)
        for _ in table.columns {
            f.beginStruct()
            f.field(1, .structure)  // TYPE_ORDER
            f.stop()
            f.stop()
        }
        f.stop()
        return f.bytes
    }
}

extension ParquetTable.Column {
    /// The Parquet physical type the column is stored as.
    var physicalType: ParquetPhysicalType {
        switch self {
        case .int64, .timestampMillis: .int64
        case .double: .double
        case .bool: .boolean
        case .string: .byteArray
        }
    }

    /// The size of the values PLAIN-encoded.
    var plainByteCount: Int {
        switch self {
        case .int64(let v), .timestampMillis(let v): 8 * v.count
        case .double(let v): 8 * v.count
        case .bool(let v): (v.count + 7) / 8
        case .string(let v): v.reduce(4 * v.count) { $0 + $1.utf8.count }
        }
    }

    /// The ConvertedType and LogicalType fields of the column's `SchemaElement`, if any.
    func writeAnnotations(_ f: inout ThriftCompactWriter) {
        switch self {
        case .timestampMillis:
            f.i32(6, ParquetConvertedType.timestampMillis)
            f.field(10, .structure)  // LogicalType
            f.field(8, .structure)  // TIMESTAMP
            f.bool(1, true)  // isAdjustedToUTC
            f.field(2, .structure)  // unit
            f.field(1, .structure)  // MILLIS
            f.stop(); f.stop(); f.stop(); f.stop()  // MilliSeconds, TimeUnit, TimestampType, LogicalType
        case .string:
            f.i32(6, ParquetConvertedType.utf8)
            f.field(10, .structure)  // LogicalType
            f.field(1, .structure)  // STRING
            f.stop(); f.stop()  // StringType, LogicalType
        case .int64, .double, .bool:
            break
        }
    }
}

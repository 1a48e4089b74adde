/// Reads a Parquet file as a ``ParquetTable``: every column, in file order.
///
/// Columns must be flat and of one of the table's types: INT64 (signed, no other annotation),
/// INT64 `TIMESTAMP(MILLIS)` (with or without `isAdjustedToUTC`; read as UTC), DOUBLE, BOOLEAN,
/// and BYTE_ARRAY annotated STRING (or ConvertedType `UTF8`). They may be OPTIONAL, as most
/// writers make them: a null reads as NaN in a DOUBLE column and is an error in the others.
/// Pages v1 and v2, PLAIN and dictionary encodings (RLE too for booleans), and the codecs of
/// ``ParquetLoader`` (UNCOMPRESSED, SNAPPY, GZIP, ZSTD) are read; chunks are decoded in
/// parallel, 8-byte values straight into the result arrays.
///
/// ```swift
/// let trades = try ParquetTableReader.read(path: "runs/42/trades.parquet")
/// print(trades.names, trades.rowCount)
/// ```
public enum ParquetTableReader {
    /// Reads the table in the file at `path`.
    ///
    /// - Parameter path: The file path.
    /// - Returns: Every column, in file order.
    /// - Throws: ``DataFileError`` naming the file and, where there is one, the column: a
    ///   column of another type (`unsupported: INT32 columns; ...`), a null outside a DOUBLE
    ///   column (with its 1-based row), a name used twice, unsupported encodings or codecs, or
    ///   `malformed Parquet: ...` for a damaged file.
    /// - Complexity: O(bytes decoded); the file is memory-mapped and read once.
    public static func read(path: String) throws(DataFileError) -> ParquetTable {
        try ParquetFileBytes.withContents(ofFile: path) { (file, name) throws(DataFileError) in
            try decode(file, name: name)
        }
    }

    /// Reads the table in Parquet bytes held in memory.
    ///
    /// - Parameters:
    ///   - bytes: The whole file.
    ///   - name: The file name used in errors.
    /// - Returns: Every column, in file order.
    /// - Throws: ``DataFileError``, as ``read(path:)``.
    public static func read(bytes: [UInt8], name: String) throws(DataFileError) -> ParquetTable {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(DataFileError) in try decode(buffer, name: name) }
        }
        return try result.get()
    }

    /// The type a column is read as.
    enum Kind {
        case int64, timestampMillis, double, bool, string

        /// The kind of a leaf column, or an unsupported error naming its type.
        init(_ leaf: ParquetLeaf) throws(ParquetError) {
            let e = leaf.element
            if !leaf.isNested {
                switch (e.type, try ParquetFieldKind.of(leaf)) {
                case (.int64?, .time(.timestamp(.millis, _))): self = .timestampMillis; return
                case (.int64?, .number(unsigned: false, decimalScale: nil)): self = .int64; return
                case (.double?, .number): self = .double; return
                case (.boolean?, _) where e.logicalType == nil: self = .bool; return
                case (.byteArray?, .text) where e.logicalType == .string
                    || (e.logicalType == nil && e.convertedType == ParquetConvertedType.utf8):
                    self = .string; return
                default: break
                }
            }
            throw .unsupported("\(Self.describe(leaf)) columns; a table column is INT64, TIMESTAMP(MILLIS), DOUBLE, BOOLEAN or STRING",
                               column: leaf.field)
        }

        /// The column's type as the file declares it: "INT32", "INT64 TIMESTAMP(MICROS)", ...
        static func describe(_ leaf: ParquetLeaf) -> String {
            if leaf.isNested { return "nested or repeated (LIST, MAP or struct)" }
            let e = leaf.element
            let physical = e.type?.name ?? e.rawType.map { "physical type #\($0)" } ?? "untyped"
            func unit(_ u: ParquetTimeUnit?) -> String {
                switch u {
                case .millis?: "MILLIS"
                case .micros?: "MICROS"
                case .nanos?: "NANOS"
                case nil: "unknown unit"
                }
            }
            switch e.logicalType {
            case .string?: return "\(physical) STRING"
            case .date?: return "\(physical) DATE"
            case .time(let u)?: return "\(physical) TIME(\(unit(u)))"
            case .timestamp(_, let u)?: return "\(physical) TIMESTAMP(\(unit(u)))"
            case .integer(let width, let signed)?: return "\(physical) INTEGER(\(width), \(signed ? "signed" : "unsigned"))"
            case .decimal(let scale, let precision)?: return "\(physical) DECIMAL(\(precision), \(scale))"
            case .other(let id)?: return "\(physical) with logical type #\(id)"
            case nil:
                if let converted = e.convertedType { return "\(physical) with converted type #\(converted)" }
                return e.type == .byteArray ? "BYTE_ARRAY without the STRING annotation (binary)" : physical
            }
        }

        /// How the column reader decodes it.
        func plan(_ leaf: ParquetLeaf) -> ParquetColumnPlan {
            ParquetColumnPlan(name: leaf.field, type: leaf.element.type!, unsigned: false, maxDefinitionLevel: leaf.maxDefinitionLevel,
                              toDouble: self == .double, nullFill: self == .double ? Double.nan.bitPattern : nil, decimalScale: nil)
        }

        /// Storage for `count` values.
        func storage(_ count: Int) -> any FilledColumn {
            switch self {
            case .int64, .timestampMillis: ColumnStorage<Int64>(uninitializedCount: count)
            case .double: ColumnStorage<Double>(uninitializedCount: count)
            case .bool: ColumnStorage<Bool>(uninitializedCount: count)
            case .string: ColumnStorage<String>(repeating: "", count: count)
            }
        }

        /// The filled storage as a table column.
        func column(_ storage: any FilledColumn) -> ParquetTable.Column {
            switch self {
            case .int64: .int64((storage as! ColumnStorage<Int64>).take())
            case .timestampMillis: .timestampMillis((storage as! ColumnStorage<Int64>).take())
            case .double: .double((storage as! ColumnStorage<Double>).take())
            case .bool: .bool((storage as! ColumnStorage<Bool>).take())
            case .string: .string((storage as! ColumnStorage<String>).take())
            }
        }
    }

    /// Decodes a whole file held in `file`.
    static func decode(_ file: UnsafeRawBufferPointer, name: String) throws(DataFileError) -> ParquetTable {
        let footer: ParquetFooter, kinds: [Kind], groups: [ParquetRead.Group]
        do throws(ParquetError) {
            footer = try ParquetFooter(file: file)
            kinds = try footer.leaves.map { (leaf) throws(ParquetError) in try Kind(leaf) }
            groups = try Self.groups(footer)
        } catch {
            throw error.located(in: name)
        }
        let leaves = footer.leaves
        let n = groups.last.map { $0.start + $0.rows } ?? 0
        let storages = kinds.map { $0.storage(n) }
        var results: [Result<ParquetChunkOutcome, ParquetError>] = []
        withBaseAddresses(storages) { bases in
            guard n > 0 else { return }
            for (base, kind) in zip(bases, kinds) where kind != .bool && kind != .string { adviseHugePages(base, byteCount: n * 8) }
            results = ChunkWork.perform(count: leaves.count * groups.count, size: { k in
                footer.metadata.rowGroups[groups[k % groups.count].index].columns[k / groups.count].metaData?.totalCompressedSize ?? 0
            }, decode: { (k, scratch) throws(ParquetError) in
                let c = k / groups.count, group = groups[k % groups.count]
                let meta = footer.metadata.rowGroups[group.index].columns[c].metaData!
                let plan = kinds[c].plan(leaves[c])
                do throws(ParquetError) {
                    func decode<Sink: ParquetValueSink>(_ sink: Sink) throws(ParquetError) -> ParquetChunkOutcome {
                        var sink = sink
                        return try ParquetColumnReader.decodeChunk(file: file, dataEnd: footer.dataEnd, meta: meta, plan: plan,
                                                                   rows: group.rows, into: &sink, scratch: scratch)
                    }
                    switch kinds[c] {
                    case .int64, .timestampMillis, .double:
                        return try decode(ParquetSlotSink(out: bases[c].assumingMemoryBound(to: UInt64.self) + group.start,
                                                          nullFill: plan.nullFill))
                    case .bool:
                        return try decode(ParquetBooleanSink(out: bases[c].assumingMemoryBound(to: Bool.self) + group.start))
                    case .string:
                        return try decode(ParquetStringSink(out: bases[c].assumingMemoryBound(to: String.self) + group.start))
                    }
                } catch {
                    throw error.inColumn(plan.name)
                }
            })
        }
        for (k, result) in results.enumerated() {
            guard case .failure(let error) = result else { continue }
            if let row = error.nullRow {
                throw DataFileError(file: name, column: error.column,
                                    reason: "null in row \(groups[k % groups.count].fileRow + row + 1); only DOUBLE columns may hold nulls (read as NaN)")
            }
            throw error.located(in: name)
        }
        return try ParquetTable(zip(leaves, zip(kinds, storages)).map { (name: $0.field, column: $1.0.column($1.1)) },
                                file: name, rows: "rows")
    }

    /// The row groups that hold rows, their chunks checked.
    private static func groups(_ footer: ParquetFooter) throws(ParquetError) -> [ParquetRead.Group] {
        var groups: [ParquetRead.Group] = []
        var fileRow = 0
        for (index, group) in footer.metadata.rowGroups.enumerated() {
            let rows = Int(group.numRows)
            guard fileRow <= Int(Int32.max) - rows else { throw .malformed("more than \(Int32.max) rows") }
            if rows > 0 {
                for (chunk, leaf) in zip(group.columns, footer.leaves) {
                    _ = try chunk.checkedMetaData(column: leaf.field, rows: group.numRows)
                }
                groups.append(ParquetRead.Group(index: index, fileRow: fileRow, rows: rows, start: fileRow))
            }
            fileRow += rows
        }
        return groups
    }
}

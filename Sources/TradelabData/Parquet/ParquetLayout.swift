/// How the time column's stored values become UTC milliseconds.
enum ParquetTimeKind: Equatable {
    /// INT64 TIMESTAMP (LogicalType or ConvertedType TIMESTAMP_MILLIS/MICROS).
    case timestamp(ParquetTimeUnit, utc: Bool)
    /// INT32 DATE: days since 1970-01-01.
    case date
    /// Plain INT32/INT64 epoch numbers: in the given unit, or detected per value when nil.
    case epoch(EpochUnit?)
}

/// What a flat leaf column holds, as far as bars are concerned.
enum ParquetFieldKind: Equatable {
    /// A number usable as a price, volume or feature.
    case number(unsigned: Bool, decimalScale: Int?)
    /// A time annotation (TIMESTAMP or DATE).
    case time(ParquetTimeKind)
    /// Text (BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY).
    case text
    /// Anything else, described ("INT96 timestamps", "BOOLEAN", "TIME of day").
    case other(String)
    /// A nested or repeated field (LIST, MAP, struct).
    case nested

    static func of(_ leaf: ParquetLeaf) throws(ParquetError) -> ParquetFieldKind {
        if leaf.isNested { return .nested }
        let e = leaf.element
        guard let type = e.type else { return .other(e.rawType.map { "physical type #\($0)" } ?? "no type") }
        let converted = e.convertedType
        switch e.logicalType {
        case .timestamp(let utc, let unit)?:
            guard type == .int64 else { return .other("TIMESTAMP stored as \(type.name)") }
            guard let unit else { throw .unsupported("a TIMESTAMP unit this reader does not know", column: leaf.field) }
            return .time(.timestamp(unit, utc: utc))
        case .date?:
            return type == .int32 ? .time(.date) : .other("DATE stored as \(type.name)")
        case .time?:
            return .other("TIME of day")
        case .string?:
            return .text
        default: break
        }
        if e.logicalType == nil {
            switch converted {
            case ParquetConvertedType.timestampMillis?: if type == .int64 { return .time(.timestamp(.millis, utc: true)) }
            case ParquetConvertedType.timestampMicros?: if type == .int64 { return .time(.timestamp(.micros, utc: true)) }
            case ParquetConvertedType.date?: if type == .int32 { return .time(.date) }
            case ParquetConvertedType.timeMillis?, ParquetConvertedType.timeMicros?: return .other("TIME of day")
            case ParquetConvertedType.interval?: return .other("INTERVAL")
            default: break
            }
        }
        switch type {
        case .int32, .int64:
            var scale: Int?
            if case .decimal(let s, _)? = e.logicalType { scale = Int(s) }
            else if converted == ParquetConvertedType.decimal { scale = Int(e.scale ?? 0) }
            if let s = scale, s < 0 || s > 38 { return .other("DECIMAL with scale \(s)") }
            var unsigned = false
            if case .integer(_, let signed)? = e.logicalType { unsigned = !signed }
            if let c = converted, c >= ParquetConvertedType.uint8 && c <= ParquetConvertedType.uint64 { unsigned = true }
            return .number(unsigned: unsigned, decimalScale: scale)
        case .float, .double:
            return .number(unsigned: false, decimalScale: nil)
        case .byteArray, .fixedLenByteArray:
            if case .decimal? = e.logicalType { return .other("DECIMAL stored as \(type.name)") }
            if converted == ParquetConvertedType.decimal { return .other("DECIMAL stored as \(type.name)") }
            return .text
        case .int96:
            return .other("INT96 timestamps")
        case .boolean:
            return .other("BOOLEAN")
        }
    }

    var description: String {
        switch self {
        case .number: "number"
        case .time: "time"
        case .text: "text"
        case .other(let what): what
        case .nested: "nested"
        }
    }
}

/// Which columns of a file become which part of the bars.
struct ParquetLayout {
    /// One column to decode.
    struct Column {
        var leaf: Int
        var name: String
        var role: ColumnRole
        var plan: ParquetColumnPlan
    }

    /// The columns to decode: time first, then open, high, low, close, volume (if present),
    /// then the features in file order.
    var columns: [Column]
    var timeKind: ParquetTimeKind
    var timeColumn: String
    var featureNames: [String]
    var skipped: [String]
    var notes: [String]

    static let pandasIndex = "__index_level_0__"

    init(leaves: [ParquetLeaf], options: ParquetOptions) throws(ParquetError) {
        // Top-level fields in file order, each with its leaves.
        var fieldNames: [String] = []
        var fieldLeaves: [String: [Int]] = [:]
        for (i, leaf) in leaves.enumerated() {
            if fieldLeaves[leaf.field] == nil { fieldNames.append(leaf.field) }
            fieldLeaves[leaf.field, default: []].append(i)
        }
        var kinds: [String: ParquetFieldKind] = [:]
        for name in fieldNames {
            let indices = fieldLeaves[name]!
            kinds[name] = indices.count == 1 ? try ParquetFieldKind.of(leaves[indices[0]]) : .nested
        }
        let normalized = fieldNames.map(CSVLayout.normalize)
        let listing = fieldNames.joined(separator: ", ")

        // Time: a time-named column (a TIMESTAMP/DATE one first, then an integer one), else the
        // pandas index column, else the first TIMESTAMP/DATE column.
        let named = fieldNames.indices.filter { CSVLayout.timeNames.contains(normalized[$0]) }
        func isTime(_ j: Int) -> Bool { if case .time = kinds[fieldNames[j]]! { return true }; return false }
        func isInteger(_ j: Int) -> Bool {
            if case .number(_, nil) = kinds[fieldNames[j]]!, let leaf = fieldLeaves[fieldNames[j]]?.first {
                return leaves[leaf].element.type == .int64 || leaves[leaf].element.type == .int32
            }
            return false
        }
        guard let t = named.first(where: isTime) ?? named.first(where: isInteger) ?? named.first
                ?? fieldNames.firstIndex(of: Self.pandasIndex) ?? fieldNames.indices.first(where: isTime) else {
            throw .data("no time column (\(listing)); name it one of time, timestamp, date, datetime, open_time, ts, or store it as a TIMESTAMP column")
        }
        let timeName = fieldNames[t]
        let timeLeaf = fieldLeaves[timeName]![0]
        switch kinds[timeName]! {
        case .time(let kind):
            timeKind = kind
        case .number(_, nil) where isInteger(t):
            timeKind = .epoch(options.epochUnit)
        case .nested:
            throw .unsupported("a nested or repeated time column", column: timeName)
        case let kind:
            let what = kind == .number(unsigned: false, decimalScale: nil) || kind == .number(unsigned: true, decimalScale: nil)
                ? "floating-point" : kind.description
            throw .unsupported("a \(what) time column (\(leaves[timeLeaf].element.type?.name ?? "no type")); store times as TIMESTAMP (MILLIS, MICROS or NANOS), DATE, or INT64 epoch numbers",
                               column: timeName)
        }
        timeColumn = timeName
        var used: Set<Int> = [t]
        columns = [Column(leaf: timeLeaf, name: timeName, role: .time,
                          plan: ParquetColumnPlan(name: timeName, type: leaves[timeLeaf].element.type!, unsigned: false,
                                                  maxDefinitionLevel: leaves[timeLeaf].maxDefinitionLevel, toDouble: false,
                                                  nullFill: nil, decimalScale: nil))]
        notes = []
        if case .timestamp(_, false) = timeKind {
            notes.append("time column '\(timeName)' is not marked as UTC (isAdjustedToUTC=false); its values were taken as UTC")
        }

        // Prices and volume.
        func numberPlan(_ j: Int, nullFill: UInt64?) throws(ParquetError) -> Column? {
            let name = fieldNames[j]
            let leaf = fieldLeaves[name]![0]
            switch kinds[name]! {
            case .number(let unsigned, let scale):
                return Column(leaf: leaf, name: name, role: .skip,
                              plan: ParquetColumnPlan(name: name, type: leaves[leaf].element.type!, unsigned: unsigned,
                                                      maxDefinitionLevel: leaves[leaf].maxDefinitionLevel, toDouble: true,
                                                      nullFill: nullFill, decimalScale: scale))
            case .nested:
                throw .unsupported("a nested or repeated column (LIST, MAP or struct)", column: name)
            default:
                return nil
            }
        }
        for (role, accepted) in CSVLayout.priceNames {
            guard let j = fieldNames.indices.first(where: { !used.contains($0) && accepted.contains(normalized[$0]) }) else {
                if role == .volume {
                    notes.append("no volume column: volume set to 0")
                    continue
                }
                let written = accepted.sorted { $0.count > $1.count }
                throw .data("no '\(written[0])' column (\(listing)); accepted names: \(written.joined(separator: ", "))")
            }
            guard var column = try numberPlan(j, nullFill: role == .volume ? 0 : nil) else {
                throw .data("column holds \(kinds[fieldNames[j]]!.description) values; prices and volume must be numbers", column: fieldNames[j])
            }
            column.role = role
            columns.append(column)
            used.insert(j)
        }

        // Features: the remaining numeric columns (or the requested ones).
        featureNames = []
        skipped = []
        var seen = Set<String>()
        let binance = normalized[t] == "open_time"
        if let requested = options.features {
            for name in requested where !fieldNames.contains(name) {
                throw .data("no column '\(name)' to load as a feature (\(listing))")
            }
        }
        var nonNumeric: [String] = []
        for j in fieldNames.indices where !used.contains(j) {
            let name = fieldNames[j]
            let key = normalized[j]
            if let requested = options.features, !requested.contains(name) {
                skipped.append(name)
                continue
            }
            if options.features == nil && binance && (key == "close_time" || key == "ignore") {
                skipped.append(name)
                continue
            }
            if options.features == nil, case .number = kinds[name]!, CSVLayout.reservedNames.contains(key)
                || CSVLayout.priceNames.contains(where: { $0.names.contains(key) }) || !seen.insert(key).inserted {
                skipped.append(name)
                notes.append("column '\(name)' duplicates another column's meaning and was skipped")
                continue
            }
            if options.features != nil, CSVLayout.reservedNames.contains(key) || !seen.insert(key).inserted {
                throw .data("cannot load as a feature: the name duplicates another column's meaning", column: name)
            }
            if var column = try numberPlan(j, nullFill: Double.nan.bitPattern) {
                column.role = .feature(featureNames.count)
                featureNames.append(name)
                columns.append(column)
            } else if options.features != nil {
                throw .data("cannot load as a feature: it holds \(kinds[name]!.description) values, not numbers", column: name)
            } else {
                skipped.append(name)
                nonNumeric.append("\(name) (\(kinds[name]!.description))")
            }
        }
        if !nonNumeric.isEmpty { notes.append("non-numeric columns skipped: \(nonNumeric.joined(separator: ", "))") }
        if binance && options.features == nil && skipped.contains(where: { ["close_time", "ignore"].contains(CSVLayout.normalize($0)) }) {
            notes.append("Binance kline columns close_time and ignore were skipped")
        }
    }
}

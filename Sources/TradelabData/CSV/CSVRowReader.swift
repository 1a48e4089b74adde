/// Reads the data rows of a file (or of one chunk of it) into ``CSVColumnPointers``.
///
/// Each row is first tried on a fast path that parses the fields straight from the bytes while
/// finding their ends: unquoted fields, the plain number, epoch and ISO forms
/// (``DecimalParser/parseFast(_:from:end:)``, ``TimeParser/parseEpochFast(_:from:end:unit:)``,
/// ``TimeParser/parseISOFast(_:from:end:cache:)``), `\n` or `\r\n` line ends. On anything
/// else (quotes, spaces, blank lines, empty or unusual values, a wrong field count, any error)
/// the row is read again from its start by the general path, which is the loader's full
/// dialect and makes every error message. Both paths give identical values, so which one read a
/// row never shows.
struct CSVRowReader {
    /// Why ``read(into:stopAt:)`` returned.
    enum Stop: Equatable {
        /// The input ended.
        case end
        /// The columns are full; grow them and call again.
        case full
        /// The next record starts at or after `stopAt`.
        case boundary
    }

    /// A feature column found not numeric, dropped from then on.
    struct DroppedFeature {
        /// The column index in the row.
        var column: Int
        /// The line of the first non-numeric value (relative to the chunk's first line).
        var line: Int
        /// That value, shortened for the note.
        var text: String
    }

    let p: UnsafePointer<UInt8>
    /// End of the whole input (a chunk's last record may run past its own end).
    let n: Int
    let separator: UInt8
    let name: String
    let columnNames: [String]
    let epochUnit: EpochUnit?
    /// One role per column; a feature found not numeric turns into `.skip`.
    var roles: [ColumnRole]
    let columnCount: Int
    /// False when the layout needs the general path on every row (a date + time-of-day pair).
    let fastRows: Bool
    /// ``roles`` for the fast path: ``Code``.
    var codes: [UInt8]
    /// False when the file has no volume column (volumes are then 0).
    private let hasVolume: Bool

    /// Column roles as the fast path dispatches on them: 0...4 are the open, high, low, close and
    /// volume slots of the price table in ``read(into:stopAt:)``.
    enum Code {
        static let time: UInt8 = 5
        static let skip: UInt8 = 6
        static let feature: UInt8 = 7
        static let other: UInt8 = 8

        static func of(_ role: ColumnRole) -> UInt8 {
            switch role {
            case .open: 0
            case .high: 1
            case .low: 2
            case .close: 3
            case .volume: 4
            case .time: time
            case .skip: skip
            case .feature: feature
            case .date, .timeOfDay: other
            }
        }
    }

    /// Byte offset of the next record.
    var position: Int
    /// 1-based line of the next record (relative to the chunk's first line for a later chunk).
    var line: Int
    /// Rows written.
    var rows = 0
    /// Time forms seen on all rows, and on the first one.
    var kinds = CSVTimeKinds()
    var firstKinds: CSVTimeKinds?
    /// Rows whose volume was empty (read as 0).
    var emptyVolumes = 0
    /// Feature columns by feature number (appended per row; features are rare and short).
    var features: [[Double]]
    var featureAlive: [Bool]
    var dropped: [DroppedFeature] = []

    /// The last ISO date read by the fast path.
    private var dateCache = ISODateCache()
    /// The general path's fields of the current record.
    var fields: [CSVField] = []
    /// The current row's feature values, committed with the row.
    var featureRow: [Double]

    init(base: UnsafePointer<UInt8>, count: Int, separator: UInt8, name: String, layout: CSVLayout,
         epochUnit: EpochUnit?, fastRows: Bool, position: Int, line: Int) {
        p = base
        n = count
        self.separator = separator
        self.name = name
        columnNames = layout.columnNames
        self.epochUnit = epochUnit
        roles = layout.roles
        columnCount = layout.roles.count
        self.fastRows = fastRows && !layout.roles.contains(.date) && !layout.roles.contains(.timeOfDay)
        codes = layout.roles.map(Code.of)
        hasVolume = layout.roles.contains(.volume)
        self.position = position
        self.line = line
        features = layout.featureNames.map { _ in [] }
        featureAlive = layout.featureNames.map { _ in true }
        // At least one element: the shared empty array would be copied on every write access.
        featureRow = [Double](repeating: 0, count: max(1, layout.featureNames.count))
        fields.reserveCapacity(16)
    }

    /// Reads rows into `columns` (row `rows` first) until the input ends, the columns are full,
    /// or a record would start at or after `stopAt`.
    /// - Throws: ``DataFileError`` for the first bad row (its line relative to the chunk's first).
    mutating func read(into columns: CSVColumnPointers, stopAt: Int) throws(DataFileError) -> Stop {
        // The open, high, low, close and volume columns by slot (``Code``).
        let prices = UnsafeMutablePointer<UnsafeMutablePointer<Double>>.allocate(capacity: 5)
        defer { prices.deallocate() }
        prices.initialize(to: columns.open)
        (prices + 1).initialize(to: columns.high)
        (prices + 2).initialize(to: columns.low)
        (prices + 3).initialize(to: columns.close)
        (prices + 4).initialize(to: columns.volume)
        while position < n {
            if position >= stopAt { return .boundary }
            if rows == columns.capacity { return .full }
            if fastRows && fastRow(columns, prices) { continue }
            try generalRow(columns)
        }
        return .end
    }

    // MARK: Fast path

    /// Reads one plain row at ``position``, writing its values to row ``rows``; false (nothing
    /// consumed, nothing committed) when the row needs the general path.
    @inline(__always)
    private mutating func fastRow(_ columns: CSVColumnPointers, _ prices: UnsafeMutablePointer<UnsafeMutablePointer<Double>>) -> Bool {
        let p = self.p, n = self.n, sep = separator, r = rows
        var i = position
        var rowKinds = CSVTimeKinds()
        for j in 0..<columnCount {
            let code = codes[j]
            if code < Code.time || code == Code.feature {
                // One number parser for prices, volume and features (one inlined copy).
                let value: Double
                if code == Code.feature && i < n && (p[i] == sep || p[i] == UInt8(ascii: "\n")) {
                    value = .nan  // an empty feature
                } else {
                    guard let number = DecimalParser.parseFast(p, from: i, end: n) else { return false }
                    value = number.value
                    i = number.end
                }
                if code < Code.time {
                    prices[Int(code)][r] = value
                } else if case .feature(let k) = roles[j] {
                    featureRow[k] = value
                }
            } else if code == Code.time {
                if n - i > 4 && p[i + 4] == UInt8(ascii: "-") {
                    guard let time = TimeParser.parseISOFast(p, from: i, end: n, cache: &dateCache) else { return false }
                    columns.time[r] = time.ms
                    rowKinds.insert(time.hasTime ? .dateTime : .date)
                    i = time.end
                } else {
                    guard let time = TimeParser.parseEpochFast(p, from: i, end: n, unit: epochUnit) else { return false }
                    columns.time[r] = time.ms
                    rowKinds.insert(CSVTimeKinds(time.unit))
                    i = time.end
                }
            } else if code == Code.skip {
                while i < n && p[i] != sep && p[i] != UInt8(ascii: "\n") {
                    if p[i] == UInt8(ascii: "\"") { return false }
                    i += 1
                }
            } else {
                return false
            }
            if j + 1 < columnCount {
                guard i < n, p[i] == sep else { return false }
                i += 1
            }
        }
        if i < n {
            if p[i] == UInt8(ascii: "\n") {
                i += 1
            } else if p[i] == UInt8(ascii: "\r") && i + 1 < n && p[i + 1] == UInt8(ascii: "\n") {
                i += 2
            } else {
                return false
            }
        }
        if !hasVolume { columns.volume[r] = 0 }
        columns.lines[r] = Int32(truncatingIfNeeded: line)
        commitKinds(rowKinds)
        position = i
        line += 1
        return true
    }

    /// Counts the row written at ``rows``: its time kinds and feature values.
    @inline(__always)
    mutating func commitKinds(_ rowKinds: CSVTimeKinds) {
        if firstKinds == nil { firstKinds = rowKinds }
        kinds.formUnion(rowKinds)
        for k in features.indices where featureAlive[k] { features[k].append(featureRow[k]) }
        rows += 1
    }

    @inline(__always)
    mutating func commit(_ columns: CSVColumnPointers, _ t: Int64, _ o: Double, _ h: Double, _ l: Double,
                                 _ c: Double, _ v: Double, _ rowKinds: CSVTimeKinds, line recordLine: Int) {
        let r = rows
        columns.time[r] = t
        columns.open[r] = o
        columns.high[r] = h
        columns.low[r] = l
        columns.close[r] = c
        columns.volume[r] = v
        columns.lines[r] = Int32(truncatingIfNeeded: recordLine)
        commitKinds(rowKinds)
    }
}

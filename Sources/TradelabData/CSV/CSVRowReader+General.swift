/// The row reader's general path: one record through ``CSVScanner`` and the full parsers
/// (``DecimalParser/parse(_:count:)``, ``TimeParser/parseEpoch(_:count:unit:)``,
/// ``TimeParser/parseDateTime(_:count:)``...), with the loader's error messages.
extension CSVRowReader {
    /// Reads one record at ``position`` with the full dialect (quotes, spaces, blank lines,
    /// empty values, every time form) and commits it, or throws its error.
    mutating func generalRow(_ columns: CSVColumnPointers) throws(DataFileError) {
        var scanner = CSVScanner(base: p, count: n, separator: separator, position: position, line: line)
        guard let recordLine = scanner.next(into: &fields) else {
            position = n
            return
        }
        position = scanner.position
        line = scanner.line
        if fields.count == 1 && fields[0].isEmpty { return }  // blank line
        // A trailing separator on data lines only ("...,10,") leaves one empty field too many.
        guard fields.count == columnCount || (fields.count == columnCount + 1 && fields[columnCount].isEmpty) else {
            throw DataFileError(file: name, line: recordLine, reason: "found \(fields.count) fields, expected \(columnCount) (\(columnNames.joined(separator: ", ")))")
        }
        var t: Int64 = 0, day: Int64 = 0, timeOfDay: Int64 = 0
        var o = 0.0, h = 0.0, l = 0.0, c = 0.0, v = 0.0
        var rowKinds = CSVTimeKinds()
        for j in 0..<columnCount {
            let f = fields[j]
            let fp = p + f.start
            switch roles[j] {
            case .time:
                if let epoch = TimeParser.parseEpoch(fp, count: f.count, unit: epochUnit) {
                    t = epoch.ms
                    rowKinds.insert(CSVTimeKinds(epoch.unit))
                } else if let dt = TimeParser.parseDateTime(fp, count: f.count) {
                    t = dt.ms
                    rowKinds.insert(dt.hasTime ? .dateTime : .date)
                } else {
                    throw timeError(scanner, f, line: recordLine, column: columnNames[j])
                }
            case .date:
                guard let d = TimeParser.parseDateOnly(fp, count: f.count) else {
                    throw DataFileError(file: name, line: recordLine, column: columnNames[j],
                                        reason: "'\(scanner.shortText(f))' is not a date; expected 2024-01-02, 2024/01/02, 2024.01.02 or 02.01.2024")
                }
                day = Int64(d)
                rowKinds.insert(.pair)
            case .timeOfDay:
                guard let ms = TimeParser.parseTimeOfDayOnly(fp, count: f.count) else {
                    throw DataFileError(file: name, line: recordLine, column: columnNames[j],
                                        reason: "'\(scanner.shortText(f))' is not a time of day; expected HH:MM, HH:MM:SS or HH:MM:SS.fff")
                }
                timeOfDay = ms
            case .open: o = try price(scanner, f, line: recordLine, column: columnNames[j])
            case .high: h = try price(scanner, f, line: recordLine, column: columnNames[j])
            case .low: l = try price(scanner, f, line: recordLine, column: columnNames[j])
            case .close: c = try price(scanner, f, line: recordLine, column: columnNames[j])
            case .volume:
                if f.isEmpty {
                    v = 0
                    emptyVolumes += 1
                } else if let value = DecimalParser.parse(fp, count: f.count) {
                    v = value
                } else {
                    throw DataFileError(file: name, line: recordLine, column: columnNames[j],
                                        reason: "'\(scanner.shortText(f))' is not a number")
                }
            case .feature(let k):
                if f.isEmpty {
                    featureRow[k] = .nan
                } else if let value = DecimalParser.parse(fp, count: f.count) {
                    featureRow[k] = value
                } else if Self.isNaNText(fp, count: f.count) {
                    featureRow[k] = .nan
                } else {
                    // Not numeric: drop the column, say where it stopped being numeric.
                    roles[j] = .skip
                    codes[j] = Code.skip
                    featureAlive[k] = false
                    features[k] = []
                    dropped.append(DroppedFeature(column: j, line: recordLine, text: scanner.shortText(f)))
                }
            case .skip:
                break
            }
        }
        if rowKinds.contains(.pair) { t = day * 86_400_000 + timeOfDay }
        commit(columns, t, o, h, l, c, v, rowKinds, line: recordLine)
    }

    private func price(_ scanner: CSVScanner, _ f: CSVField, line: Int, column: String) throws(DataFileError) -> Double {
        if let value = DecimalParser.parse(p + f.start, count: f.count) { return value }
        if f.isEmpty {
            throw DataFileError(file: name, line: line, column: column,
                                reason: "empty value; open, high, low and close are required on every row")
        }
        throw DataFileError(file: name, line: line, column: column, reason: "'\(scanner.shortText(f))' is not a number")
    }

    private func timeError(_ scanner: CSVScanner, _ f: CSVField, line: Int, column: String) -> DataFileError {
        let reason = f.isEmpty
            ? "empty time; every row needs one"
            : "'\(scanner.shortText(f))' is not a time; expected an ISO 8601 date or date-time (2024-01-02, 2024-01-02 03:04:05, 2024-01-02T03:04:05.123+02:00) or epoch seconds, milliseconds, microseconds or nanoseconds"
        return DataFileError(file: name, line: line, column: column, reason: reason)
    }

    /// `nan`, `NaN`, `NA`, `N/A`, `null`, `None` (how pandas, R and others write missing values).
    static func isNaNText(_ p: UnsafePointer<UInt8>, count: Int) -> Bool {
        guard count <= 4 else { return false }
        var word: UInt32 = 0
        for i in 0..<count { word = word << 8 | UInt32(p[i] | 0x20) }
        switch count {
        case 2: return word == 0x6E61  // na
        case 3: return word == 0x6E616E || word == 0x6E2F61  // nan, n/a
        case 4: return word == 0x6E756C6C || word == 0x6E6F6E65  // null, none
        default: return false
        }
    }
}

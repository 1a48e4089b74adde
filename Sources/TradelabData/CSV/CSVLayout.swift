/// What the loader does with one column.
@usableFromInline
enum ColumnRole: Equatable, Sendable {
    case time, date, timeOfDay, open, high, low, close, volume
    /// An extra numeric column, stored as feature number `n`.
    case feature(Int)
    case skip
}

/// How the columns of a file map to bars: derived from the header, or from the column count of
/// a headerless file.
struct CSVLayout {
    /// One role per column.
    var roles: [ColumnRole]
    /// Display names of the columns, for messages (header names, or role names when headerless).
    var columnNames: [String]
    /// Names of the extra numeric columns, in order of their feature number.
    var featureNames: [String]
    /// The time column's display name.
    var timeColumn: String
    /// Columns dropped up front.
    var skipped: [String] = []
    /// Notes for ``LoadedBars/notes``.
    var notes: [String] = []

    /// Column names accepted for the time column (compared lowercased, trimmed, `<...>` removed).
    static let timeNames: Set<String> = [
        "time", "timestamp", "date", "datetime", "date_time", "date time", "open_time", "opentime",
        "open time", "ts", "unix", "gmt time", "utc",
    ]
    /// Accepted names per price/volume column.
    static let priceNames: [(role: ColumnRole, names: Set<String>)] = [
        (.open, ["open", "o"]), (.high, ["high", "h"]), (.low, ["low", "l"]), (.close, ["close", "c"]),
        (.volume, ["volume", "v", "vol"]),
    ]
    /// Names a feature may not take (``TradelabCore/BarSeries`` reserves them).
    static let reservedNames: Set<String> = ["ts", "time", "open", "high", "low", "close", "volume"]
    /// Binance kline columns, in file order.
    static let binanceColumns = [
        "open_time", "open", "high", "low", "close", "volume", "close_time", "quote_asset_volume",
        "number_of_trades", "taker_buy_base_asset_volume", "taker_buy_quote_asset_volume", "ignore",
    ]

    /// `  <Close> ` -> `close`.
    static func normalize(_ name: String) -> String {
        var s = Substring(name)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        if s.count >= 2, s.first == "<", s.last == ">" { s = s.dropFirst().dropLast() }
        return s.lowercased()
    }

    /// Builds the layout from a header line.
    /// - Parameters:
    ///   - header: The header names as written.
    ///   - firstRow: The first data row's texts, if any (to recognise a date + time column pair).
    ///   - file: The file name for errors.
    static func fromHeader(_ header: [String], firstRow: [String]?, file: String) throws(DataFileError) -> CSVLayout {
        let normalized = header.map(normalize)
        var roles = [ColumnRole](repeating: .skip, count: header.count)
        var names = header.map { name -> String in
            var s = Substring(name)
            while s.first == " " { s = s.dropFirst() }
            while s.last == " " { s = s.dropLast() }
            return String(s)
        }
        var timeColumn: String
        var notes: [String] = []

        // Time: a date + time-of-day pair, else the left-most time-named column, else a pandas
        // index column (empty or "Unnamed: 0" first header).
        if let d = normalized.firstIndex(of: "date"), let t = normalized.firstIndex(of: "time"),
           let row = firstRow, row.count == header.count, isDateOnly(row[d]), isTimeOfDayOnly(row[t]) {
            roles[d] = .date
            roles[t] = .timeOfDay
            timeColumn = "\(names[d]) + \(names[t])"
        } else if let t = bestTimeColumn(normalized, firstRow: firstRow) {
            roles[t] = .time
            timeColumn = names[t]
        } else if let first = normalized.first, first.isEmpty || first == "unnamed: 0" {
            if names[0].isEmpty { names[0] = "(unnamed index)" }
            roles[0] = .time
            timeColumn = names[0]
        } else {
            throw DataFileError(file: file, line: 1, reason: "no time column in the header (\(header.joined(separator: ", "))); name it one of time, timestamp, date, datetime, open_time, ts, unix, or leave the first header empty like a pandas index")
        }

        // Prices and volume: the first column with an accepted name takes each role.
        for (role, accepted) in priceNames {
            if let j = normalized.indices.first(where: { roles[$0] == .skip && accepted.contains(normalized[$0]) }) {
                roles[j] = role
            } else if role != .volume {
                let written = accepted.sorted { $0.count > $1.count }
                throw DataFileError(file: file, line: 1, reason: "no '\(written[0])' column in the header (\(header.joined(separator: ", "))); accepted names: \(written.joined(separator: ", "))")
            }
        }
        if !roles.contains(.volume) { notes.append("no volume column: volume set to 0") }

        // Everything else is an extra; numeric extras become features (decided while reading).
        var featureNames: [String] = []
        var skipped: [String] = []
        var seen = Set<String>()
        let binance = normalized[roles.firstIndex(of: .time) ?? 0] == "open_time"
        for j in header.indices where roles[j] == .skip {
            let key = normalized[j]
            let display = names[j].isEmpty ? "(unnamed column \(j + 1))" : names[j]
            if key.isEmpty {
                skipped.append(display)
                notes.append("column \(j + 1) has no name and was skipped")
            } else if binance && (key == "close_time" || key == "ignore") {
                skipped.append(display)
            } else if reservedNames.contains(key) || priceNames.contains(where: { $0.names.contains(key) })
                        || !seen.insert(key).inserted {
                skipped.append(display)
                notes.append("column '\(display)' duplicates another column's meaning and was skipped")
            } else {
                roles[j] = .feature(featureNames.count)
                featureNames.append(display)
            }
        }
        if binance && skipped.contains(where: { normalize($0) == "close_time" || normalize($0) == "ignore" }) {
            notes.append("Binance kline columns close_time and ignore were skipped")
        }
        return CSVLayout(roles: roles, columnNames: names, featureNames: featureNames, timeColumn: timeColumn,
                         skipped: skipped, notes: notes)
    }

    /// Builds the layout of a headerless file from its first row.
    ///
    /// - 5 or 6 columns: time, open, high, low, close[, volume].
    /// - 12 columns: a Binance kline file.
    /// - A date column then a time-of-day column, then 4 or 5 more: date, time, open, high, low, close[, volume]
    ///   (MetaTrader exports).
    static func headerless(firstRow: [String], file: String, line: Int) throws(DataFileError) -> CSVLayout {
        let n = firstRow.count
        let ohlcv: [ColumnRole] = [.open, .high, .low, .close, .volume]
        let ohlcvNames = ["open", "high", "low", "close", "volume"]
        if n >= 6 && n <= 7 && isDateOnly(firstRow[0]) && isTimeOfDayOnly(firstRow[1]) {
            var layout = CSVLayout(roles: [.date, .timeOfDay] + ohlcv.prefix(n - 2), columnNames: ["date", "time"] + ohlcvNames.prefix(n - 2),
                                   featureNames: [], timeColumn: "date + time")
            if n == 6 { layout.notes.append("no volume column: volume set to 0") }
            return layout
        }
        switch n {
        case 5, 6:
            var layout = CSVLayout(roles: [.time] + ohlcv.prefix(n - 1), columnNames: ["time"] + ohlcvNames.prefix(n - 1),
                                   featureNames: [], timeColumn: "time")
            if n == 5 { layout.notes.append("no volume column: volume set to 0") }
            return layout
        case 12:
            let roles: [ColumnRole] = [.time, .open, .high, .low, .close, .volume, .skip,
                                       .feature(0), .feature(1), .feature(2), .feature(3), .skip]
            return CSVLayout(roles: roles, columnNames: binanceColumns,
                             featureNames: [binanceColumns[7], binanceColumns[8], binanceColumns[9], binanceColumns[10]],
                             timeColumn: "open_time", skipped: ["close_time", "ignore"],
                             notes: ["headerless 12-column file read as Binance klines (close_time and ignore skipped)"])
        default:
            throw DataFileError(file: file, line: line, reason: "no header and \(n) columns; without a header the loader reads 5 or 6 columns (time, open, high, low, close[, volume]), 12 (Binance klines) or date, time, open, high, low, close[, volume]; add a header line naming the columns")
        }
    }

    /// Among the time-named columns, the one whose first value carries the most information
    /// (a date-time or epoch number beats a bare date, which beats text); the left-most on ties.
    static func bestTimeColumn(_ normalized: [String], firstRow: [String]?) -> Int? {
        let candidates = normalized.indices.filter { timeNames.contains(normalized[$0]) }
        guard let row = firstRow, row.count == normalized.count, candidates.count > 1 else { return candidates.first }
        func score(_ text: String) -> Int {
            var s = text
            return s.withUTF8 { b -> Int in
                guard let p = b.baseAddress, b.count > 0 else { return 0 }
                if TimeParser.parseEpoch(p, count: b.count, unit: nil) != nil { return 2 }
                if let dt = TimeParser.parseDateTime(p, count: b.count) { return dt.hasTime ? 2 : 1 }
                return 0
            }
        }
        return candidates.max { score(row[$0]) < score(row[$1]) || (score(row[$0]) == score(row[$1]) && $0 > $1) }
    }

    static func isDateOnly(_ text: String) -> Bool {
        var s = text
        return s.withUTF8 { $0.count > 0 && TimeParser.parseDateOnly($0.baseAddress!, count: $0.count) != nil }
    }

    static func isTimeOfDayOnly(_ text: String) -> Bool {
        var s = text
        return s.withUTF8 { $0.count > 0 && TimeParser.parseTimeOfDayOnly($0.baseAddress!, count: $0.count) != nil }
    }

    /// True when a first row looks like a header: more of its non-empty fields are text than
    /// numbers or dates. (A data row with one bad value still reads as data, so its error names
    /// the value instead of complaining about the header.)
    static func looksLikeHeader(_ row: [String]) -> Bool {
        var text = 0, values = 0
        for field in row {
            var s = field
            s.withUTF8 { b in
                guard let p = b.baseAddress, b.count > 0 else { return }
                if DecimalParser.parse(p, count: b.count) == nil
                    && TimeParser.parseDateTime(p, count: b.count) == nil
                    && TimeParser.parseTimeOfDayOnly(p, count: b.count) == nil {
                    text += 1
                } else {
                    values += 1
                }
            }
        }
        return text > values
    }
}

import TradelabCore

/// How the loader read the time column.
public enum TimeFormat: Sendable, Equatable, CustomStringConvertible {
    /// Numbers since 1970-01-01 UTC in the given unit.
    case epoch(EpochUnit)
    /// Calendar dates without a time of day (`2024-01-02`), taken as 00:00 UTC.
    case date
    /// Dates with a time of day (`2024-01-02 03:04:05`, `2024-01-02T03:04:05.5+02:00`).
    case dateTime
    /// A date column and a separate time-of-day column.
    case dateAndTimeColumns

    /// "epoch ms", "date", "date-time", "date + time columns".
    public var description: String {
        switch self {
        case .epoch(let unit): "epoch \(unit)"
        case .date: "date"
        case .dateTime: "date-time"
        case .dateAndTimeColumns: "date + time columns"
        }
    }
}

/// The result of loading a CSV file: the validated bars and what the loader detected.
public struct LoadedBars: Sendable, Equatable {
    /// The bars, oldest first.
    public var bars: BarSeries
    /// The timeframe guessed from the most common gap between bars, if it is a known one.
    public var timeframe: Timeframe?
    /// The name of the time column (`time`, `open_time`, ...; `column 1` when headerless;
    /// `date + time` for a pair).
    public var timeColumn: String
    /// How the time values were written (the first row's form; see ``notes`` for mixtures).
    public var timeFormat: TimeFormat
    /// The field separator that was used.
    public var separator: UInt8
    /// Whether the file had a header line.
    public var hasHeader: Bool
    /// Columns that were not loaded (non-numeric extras, Binance bookkeeping, unnamed columns).
    public var skippedColumns: [String]
    /// Things the loader did that the user may want to know, e.g.
    /// "rows were in descending time order and were reversed".
    public var notes: [String]

    /// Creates a result (the loader builds these).
    public init(bars: BarSeries, timeframe: Timeframe?, timeColumn: String, timeFormat: TimeFormat,
                separator: UInt8, hasHeader: Bool, skippedColumns: [String], notes: [String]) {
        self.bars = bars
        self.timeframe = timeframe
        self.timeColumn = timeColumn
        self.timeFormat = timeFormat
        self.separator = separator
        self.hasHeader = hasHeader
        self.skippedColumns = skippedColumns
        self.notes = notes
    }
}

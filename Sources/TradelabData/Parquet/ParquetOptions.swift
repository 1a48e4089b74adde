/// What to read from a Parquet file. Every property defaults to "everything".
///
/// ```swift
/// // Only January 2024, and of the extra columns only "funding_rate".
/// let options = ParquetOptions(from: 1_704_067_200_000, to: 1_706_745_600_000, features: ["funding_rate"])
/// let loaded = try ParquetLoader.load(path: "BTCUSDT_1m.parquet", options: options)
/// ```
public struct ParquetOptions: Sendable, Equatable {
    /// Keep bars whose time is at or after this UTC millisecond; row groups whose time
    /// statistics end before it are not decoded at all.
    public var from: Int64?
    /// Keep bars whose time is before this UTC millisecond (exclusive, like
    /// ``TradelabCore/BarSeries/between(from:to:)``); row groups starting at or after it are skipped.
    public var to: Int64?
    /// The extra numeric columns to load as features; nil loads every numeric extra column,
    /// `[]` none. Columns left out are never decoded (time and OHLCV always are).
    public var features: [String]?
    /// The unit of a time column stored as plain integers; nil detects it per value from the
    /// magnitude (see ``EpochUnit/detect(magnitude:)``). TIMESTAMP and DATE columns carry their unit.
    public var epochUnit: EpochUnit?

    /// Creates options.
    /// - Parameters:
    ///   - from: Inclusive lower time bound in UTC ms, or nil.
    ///   - to: Exclusive upper time bound in UTC ms, or nil.
    ///   - features: Extra columns to load, nil for all numeric ones.
    ///   - epochUnit: Unit of integer time columns, nil to detect.
    public init(from: Int64? = nil, to: Int64? = nil, features: [String]? = nil, epochUnit: EpochUnit? = nil) {
        self.from = from
        self.to = to
        self.features = features
        self.epochUnit = epochUnit
    }
}

/// What a Parquet read did, beyond the bars: for diagnostics, tests and benchmarks.
public struct ParquetReadSummary: Sendable, Equatable {
    /// Row groups in the file.
    public var rowGroups: Int
    /// Row groups decoded (the others were skipped by their time statistics).
    public var rowGroupsRead: Int
    /// Rows in the file.
    public var rowsInFile: Int
    /// Rows decoded (before the time range filter).
    public var rowsDecoded: Int
    /// The columns decoded, in file order.
    public var columnsRead: [String]
    /// Data and dictionary pages decoded.
    public var pagesRead: Int
    /// The writer named in the footer (`parquet-cpp-arrow version 26.0.1`), if any.
    public var createdBy: String?
}

/// The result of ``ParquetLoader/read(path:options:)``: the bars and what the read did.
public struct ParquetLoadResult: Sendable, Equatable {
    /// The bars, as ``ParquetLoader/load(path:options:)`` returns them.
    public var loaded: LoadedBars
    /// Row groups, rows, columns and pages read.
    public var summary: ParquetReadSummary
}

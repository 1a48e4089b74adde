/// Overrides for the CSV loader's detection. Every property defaults to "detect".
///
/// ```swift
/// // Timestamps that start at 0 and count milliseconds would otherwise read as seconds.
/// let loaded = try CSVLoader.load(path: "ticks.csv", options: CSVOptions(epochUnit: .milliseconds))
/// ```
public struct CSVOptions: Sendable, Equatable {
    /// The field separator; nil detects `,`, `;` or tab from the first line.
    public var separator: UInt8?
    /// Whether the first line is a header; nil detects it (a header has a field that is neither
    /// a number nor a date).
    public var hasHeader: Bool?
    /// The unit of numeric timestamps; nil detects it per value from its magnitude
    /// (see ``EpochUnit/detect(magnitude:)``).
    public var epochUnit: EpochUnit?

    /// Creates options; the defaults detect everything.
    /// - Parameters:
    ///   - separator: `UInt8(ascii: ",")`, `UInt8(ascii: ";")`, `UInt8(ascii: "\t")`..., or nil to detect.
    ///   - hasHeader: true/false to force, nil to detect.
    ///   - epochUnit: The unit of numeric timestamps, or nil to detect by magnitude.
    public init(separator: UInt8? = nil, hasHeader: Bool? = nil, epochUnit: EpochUnit? = nil) {
        self.separator = separator
        self.hasHeader = hasHeader
        self.epochUnit = epochUnit
    }
}

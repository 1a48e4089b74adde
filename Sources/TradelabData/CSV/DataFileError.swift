import TradelabCore

/// A problem reading or writing a data file, located by file name, line and column.
///
/// Renders as `prices.csv:17: column 'close': 'abc' is not a number`: the file (last path
/// component), the 1-based line, the column and what is wrong and allowed. Validation failures
/// of ``TradelabCore/BarSeries`` (prices outside the bar's range, timestamps out of order) come
/// out the same way, with the line of the offending row.
public struct DataFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file name as given to the loader (for files: the last path component).
    public var file: String
    /// The 1-based line in the file, when the problem has one.
    public var line: Int?
    /// The column at fault (its header name, or `column 3` without a header), when one is.
    public var column: String?
    /// What is wrong and what is allowed.
    public var reason: String

    /// Creates an error.
    public init(file: String, line: Int? = nil, column: String? = nil, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// Creates an error from a ``TradelabCore/MarketDataError`` raised while validating the
    /// bars of `file`.
    public init(file: String, _ error: MarketDataError) {
        self.init(file: file, line: error.line, column: error.field, reason: error.reason)
    }

    /// `prices.csv:17: column 'close': 'abc' is not a number`.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let column { text += "column '\(column)': " }
        return text + reason
    }
}

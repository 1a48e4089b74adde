/// The return of one UTC calendar month.
///
/// A bar belongs to the month of its timestamp (its open time, UTC). The month's return compares
/// the equity of its last bar with the equity of the last bar of the previous month present in the
/// data; the first month compares with the initial cash. Months without any bar are not listed.
public struct MonthlyReturn: Sendable, Codable, Equatable {
    /// Calendar year (UTC), e.g. 2024.
    public var year: Int
    /// Month, 1 (January) ... 12 (December).
    public var month: Int
    /// `endEquity / previous month's endEquity - 1`, a fraction (0.012 = +1.2%); nil when the
    /// previous month ended with equity <= 0 (the return is undefined).
    public var `return`: Double?
    /// Equity after the month's last bar.
    public var endEquity: Double

    /// Creates a row.
    public init(year: Int, month: Int, return value: Double?, endEquity: Double) {
        self.year = year
        self.month = month
        self.return = value
        self.endEquity = endEquity
    }

    /// Writes all four fields; an undefined return as `null` (not omitted), like ``PerformanceMetrics``.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(year, forKey: .year)
        try c.encode(month, forKey: .month)
        try c.encode(self.return, forKey: .return)
        try c.encode(endEquity, forKey: .endEquity)
    }
}

/// Settings for ``PerformanceMetrics/compute(_:options:)``: the risk-free rate and the annualization.
///
/// ```swift
/// // Daily stock bars, 4% risk-free rate, annualization derived from the data (~252 bars a year):
/// let metrics = PerformanceMetrics.compute(result, options: MetricsOptions(riskFreeRate: 0.04))
/// // Force the 252-trading-day convention:
/// let fixed = PerformanceMetrics.compute(result, options: MetricsOptions(periodsPerYear: 252))
/// ```
public struct MetricsOptions: Sendable, Equatable, Codable {
    /// Annual risk-free rate as a fraction (0.04 = 4% a year). Default 0.
    ///
    /// Converted to a per-bar rate by simple division, `riskFreeRate / periodsPerYear`, so that
    /// Sharpe = (annualized return - risk-free rate) / annualized volatility exactly.
    public var riskFreeRate: Double

    /// Bars per year used to annualize per-bar statistics, or nil to derive it from the data.
    ///
    /// When nil the number of bars per year actually observed is used:
    /// `(count - 1) / years`, with `years = (last timestamp - first timestamp) / 365.25 days`.
    /// That gives about 252 for daily stock bars (weekends and holidays are missing), about 365.25
    /// for daily crypto bars and about 525,960 for 24/7 one-minute bars. Pass a value (e.g. 252, or
    /// ``Timeframe/barsPerYear``) to use a fixed convention instead.
    public var periodsPerYear: Double?

    /// Creates options.
    /// - Parameters:
    ///   - riskFreeRate: Annual risk-free rate as a fraction; default 0.
    ///   - periodsPerYear: Bars per year, or nil (default) to derive it from the timestamps.
    public init(riskFreeRate: Double = 0, periodsPerYear: Double? = nil) {
        self.riskFreeRate = riskFreeRate
        self.periodsPerYear = periodsPerYear
    }

    /// Checks every setting.
    /// - Throws: ``ConfigError`` naming the first invalid setting, its value and what is allowed.
    public func validate() throws(ConfigError) {
        if !(riskFreeRate.isFinite && riskFreeRate > -1) {
            throw ConfigError(parameter: "risk-free rate", value: formatNumber(riskFreeRate),
                              allowed: "an annual fraction greater than -1, e.g. 0.04 for 4%")
        }
        if let p = periodsPerYear, !(p.isFinite && p > 0) {
            throw ConfigError(parameter: "periods per year", value: formatNumber(p),
                              allowed: "a positive number of bars per year, e.g. 252")
        }
    }

    /// Bars per year observed in `timestamps`: `(count - 1) / years`, years = span / 365.25 days.
    ///
    /// - Parameter timestamps: Bar times, UTC milliseconds, increasing.
    /// - Returns: nil for fewer than two bars or a span that is not positive.
    /// - Complexity: O(1).
    public static func observedPeriodsPerYear(_ timestamps: [Int64]) -> Double? {
        guard timestamps.count >= 2, let first = timestamps.first, let last = timestamps.last, last > first else {
            return nil
        }
        let years = (Double(last) - Double(first)) / millisecondsPerYear
        return Double(timestamps.count - 1) / years
    }

    /// Milliseconds in a year of 365.25 days.
    public static let millisecondsPerYear: Double = 365.25 * 86_400_000
}

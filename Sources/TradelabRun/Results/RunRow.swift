import TradelabCore

/// One run of a result: the only one, or a randomized window.
public struct RunRow: Sendable, Codable, Equatable {
    /// 1-based run number.
    public var run: Int
    /// First bar time, ISO 8601 UTC.
    public var from: String
    /// Last bar time, ISO 8601 UTC.
    public var to: String
    /// Bars processed.
    public var bars: Int
    /// The run's metrics.
    public var metrics: PerformanceMetrics
    /// The run's equity, thinned for overlays (absent in summaries).
    public var equity: Curve?

    /// The row of `run`, its curve thinned to `points` (nil: no curve).
    public init(_ run: RandomizedRun, metrics: PerformanceMetrics, points: Int?) {
        self.run = run.run
        let times = run.result.equity.timestamps
        from = times.first.map { UTCTime.format($0) } ?? ""
        to = times.last.map { UTCTime.format($0) } ?? ""
        bars = run.result.equity.count
        self.metrics = metrics
        equity = points.map { Curve(run.result.equity, withDrawdown: false).downsampled(to: $0) }
    }
}

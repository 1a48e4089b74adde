import TradelabCore

/// An equity curve as chart columns: UTC seconds, equity and drawdown (a fraction, <= 0).
public struct Curve: Sendable, Codable, Equatable {
    /// Bar times in UTC seconds, strictly increasing.
    public var time: [Int64]
    /// Equity after each bar.
    public var equity: [Double]
    /// Drawdown from the running peak after each bar (absent on overlay curves).
    public var drawdown: [Double]?

    /// Creates a curve from its columns.
    public init(time: [Int64], equity: [Double], drawdown: [Double]? = nil) {
        self.time = time
        self.equity = equity
        self.drawdown = drawdown
    }

    /// The curve of a backtest (times converted from milliseconds).
    public init(_ curve: EquityCurve, withDrawdown: Bool = true) {
        time = curve.timestamps.map { $0 / 1000 }
        equity = curve.equity
        drawdown = withDrawdown ? curve.drawdown : nil
    }

    /// Number of points.
    public var count: Int { equity.count }

    /// At most `max(2, maxPoints)` points: evenly spaced, always keeping the first and the last
    /// point and (with 3 points or more) the deepest drawdown, so the chart's end value and worst
    /// point are exact.
    /// - Complexity: O(n).
    public func downsampled(to maxPoints: Int) -> Curve {
        let picked = Downsample.indices(count: count, maxPoints: maxPoints, keep: drawdown.flatMap { d in d.indices.min { d[$0] < d[$1] } })
        guard picked.count < count else { return self }
        return Curve(time: picked.map { time[$0] }, equity: picked.map { equity[$0] }, drawdown: drawdown.map { d in picked.map { d[$0] } })
    }
}

/// Index selection for downsampling columns.
public enum Downsample {
    /// Up to `maxPoints` indices of `0..<count`, evenly spaced, with the first and last and `keep`.
    public static func indices(count: Int, maxPoints: Int, keep: Int? = nil) -> [Int] {
        let maxPoints = max(2, maxPoints)
        guard count > maxPoints else { return Array(0..<count) }
        let keep = maxPoints >= 3 ? keep : nil       // the ends come first
        let slots = maxPoints - (keep == nil ? 0 : 1)
        var result = (0..<slots).map { Int((Double($0) * Double(count - 1) / Double(slots - 1)).rounded()) }
        if let keep, !result.contains(keep) {
            result.insert(keep, at: result.firstIndex { $0 > keep } ?? result.count)
        }
        return result
    }
}

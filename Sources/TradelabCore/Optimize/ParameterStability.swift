/// How the objective holds up around the best parameters: a best surrounded by much worse
/// neighbours is a lucky spike, a plateau is more likely real.
///
/// The neighbours are the trials one step away (in the space's value lists) in one or more
/// parameters, every other parameter equal or one step away too, among those evaluated that
/// count.
///
/// ```swift
/// let s = ParameterStability(best: ["fast": 10, "slow": 40], objective: 1.2, space: space, trials: evaluated)
/// print(s?.fall ?? .nan)   // 0.35: the neighbours are 35% below the best on average
/// ```
public struct ParameterStability: Sendable, Equatable, Codable {
    /// The best trial's objective.
    public var best: Double
    /// Neighbours evaluated that count.
    public var neighbours: Int
    /// Their mean objective, and the lowest (nil without a neighbour).
    public var mean: Double?
    public var worst: Double?
    /// `(best - mean) / |best|`: the share of the best's objective lost one step away (nil
    /// without a neighbour or with a best of 0).
    public var fall: Double?

    /// The stability around `best` among `trials` (parameters and objective; nil objectives do
    /// not count).
    public init(best params: [String: Double], objective: Double, space: ParameterSpace,
                trials: [(params: [String: Double], objective: Double?)]) {
        func position(_ p: [String: Double]) -> [Int]? {
            var out: [Int] = []
            for range in space.ranges {
                guard let v = p[range.name], let k = range.values.firstIndex(of: v) else { return nil }
                out.append(k)
            }
            return out
        }
        let center = position(params)
        var values: [Double] = []
        if let center {
            for t in trials {
                guard let o = t.objective, let at = position(t.params), at != center,
                      zip(at, center).allSatisfy({ abs($0 - $1) <= 1 }) else { continue }
                values.append(o)
            }
        }
        best = objective
        neighbours = values.count
        mean = values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        worst = values.min()
        fall = mean.flatMap { m in objective != 0 ? (objective - m) / abs(objective) : nil }
    }
}

/// The parameters of a search: one ``ParameterRange`` each, and the constraints every
/// combination must satisfy.
///
/// ```swift
/// let space = try ParameterSpace(ranges: [try .init(parsing: "fast=5:50:5"), try .init(parsing: "slow=20:200:20")],
///                                constraints: [try .init(parsing: "fast<slow")])
/// space.combinations     // 100
/// space.grid().count     // 100 minus those with fast >= slow
/// ```
public struct ParameterSpace: Sendable, Equatable, Codable {
    /// The ranges, in the order given.
    public var ranges: [ParameterRange]
    /// Rules every combination follows.
    public var constraints: [ParameterConstraint]

    /// Creates a space.
    /// - Throws: ``OptimizeError`` for no range, a parameter given twice, or a constraint naming
    ///   a parameter that is neither searched nor fixed in `fixed`.
    public init(ranges: [ParameterRange], constraints: [ParameterConstraint] = [], fixed: [String: Double] = [:]) throws(OptimizeError) {
        guard !ranges.isEmpty else { throw OptimizeError("give at least one parameter range, e.g. --param-range fast=5:50:5") }
        var names = Set<String>()
        for r in ranges where !names.insert(r.name).inserted { throw OptimizeError("parameter '\(r.name)' has two ranges") }
        for c in constraints {
            if let unknown = c.names.first(where: { !names.contains($0) && fixed[$0] == nil }) {
                throw OptimizeError("constraint '\(c)' names '\(unknown)', which is not a searched parameter (\(ranges.map(\.name).joined(separator: ", ")))")
            }
        }
        self.ranges = ranges
        self.constraints = constraints
    }

    /// Number of combinations before the constraints (saturating at `Int.max`).
    public var combinations: Int {
        ranges.reduce(1) { n, r in n.multipliedReportingOverflow(by: r.values.count).overflow ? Int.max : n * r.values.count }
    }

    /// The parameters of one point: `indices[k]` into range `k`'s values.
    public func parameters(_ indices: [Int]) -> [String: Double] {
        var p: [String: Double] = [:]
        for (r, i) in zip(ranges, indices) { p[r.name] = r.values[i] }
        return p
    }

    /// Whether a point's parameters (with the fixed ones) follow every constraint.
    public func allows(_ params: [String: Double], fixed: [String: Double] = [:]) -> Bool {
        guard !constraints.isEmpty else { return true }
        let all = fixed.merging(params) { _, searched in searched }
        return constraints.allSatisfy { $0.holds(for: all) }
    }

    /// Every combination that follows the constraints, the last range varying fastest.
    public func grid(fixed: [String: Double] = [:]) -> [[Int]] {
        var out: [[Int]] = []
        var point = Array(repeating: 0, count: ranges.count)
        guard combinations > 0 else { return out }
        while true {
            if allows(parameters(point), fixed: fixed) { out.append(point) }
            var k = ranges.count - 1
            while k >= 0 {
                point[k] += 1
                if point[k] < ranges[k].values.count { break }
                point[k] = 0
                k -= 1
            }
            if k < 0 { return out }
        }
    }

    /// A uniformly drawn point that follows the constraints (nil after many failed draws).
    public func randomPoint(using rng: inout SplitMix64, fixed: [String: Double] = [:]) -> [Int]? {
        for _ in 0..<1000 {
            let point = ranges.map { Int(rng.next() % UInt64($0.values.count)) }
            if allows(parameters(point), fixed: fixed) { return point }
        }
        return nil
    }
}

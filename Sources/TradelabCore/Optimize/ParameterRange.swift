/// The values one parameter takes in a search: `fast=5:50:5` (start:stop:step, inclusive),
/// `fast=5,10,20` (a list) or `fast=7` (one value); `x=0.5:2.0:0.25` for a float.
///
/// ```swift
/// let range = try ParameterRange(parsing: "fast=5:50:5")
/// range.values      // [5, 10, ..., 50]
/// range.isInteger   // true
/// ```
public struct ParameterRange: Sendable, Equatable, Codable {
    /// The parameter's name.
    public var name: String
    /// Every value, in order, without repeats.
    public var values: [Double]

    /// Most values one range may hold.
    public static let maximumValues = 100_000

    /// Creates a range from values.
    /// - Throws: ``OptimizeError`` for an empty name or list, or a non-finite value.
    public init(name: String, values: [Double]) throws(OptimizeError) {
        guard !name.isEmpty else { throw OptimizeError("a parameter range needs a name, e.g. fast=5:50:5") }
        guard !values.isEmpty else { throw OptimizeError("parameter '\(name)' has no values") }
        guard values.allSatisfy(\.isFinite) else { throw OptimizeError("parameter '\(name)' has a value that is not a finite number") }
        var seen = Set<Double>()
        self.name = name
        self.values = values.filter { seen.insert($0).inserted }
    }

    /// Parses `name=start:stop:step`, `name=a,b,c` or `name=value`.
    /// - Throws: ``OptimizeError`` naming the range and the reason: not a number, a step of 0 or
    ///   below, a stop before the start, more than ``maximumValues`` values.
    public init(parsing text: String) throws(OptimizeError) {
        let parts = text.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces() }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw OptimizeError("parameter range '\(text)' must be name=start:stop:step, name=a,b,c or name=value (e.g. fast=5:50:5)")
        }
        let name = parts[0], spec = parts[1]
        func number(_ s: Substring) throws(OptimizeError) -> Double {
            guard let v = Double(String(s).trimmingSpaces()), v.isFinite else {
                throw OptimizeError("parameter range '\(text)': '\(s)' is not a number")
            }
            return v
        }
        if spec.contains(":") {
            let bounds = spec.split(separator: ":", omittingEmptySubsequences: false)
            guard bounds.count == 3 else {
                throw OptimizeError("parameter range '\(text)' must be name=start:stop:step (three numbers), e.g. \(name)=5:50:5")
            }
            let start = try number(bounds[0]), stop = try number(bounds[1]), step = try number(bounds[2])
            guard step > 0 else { throw OptimizeError("parameter range '\(text)': the step must be above 0, was \(formatNumber(step))") }
            guard stop >= start else {
                throw OptimizeError("parameter range '\(text)' is inverted: the stop \(formatNumber(stop)) is below the start \(formatNumber(start))")
            }
            let count = Int(((stop - start) / step + 1e-9).rounded(.down)) + 1
            guard count <= Self.maximumValues else {
                throw OptimizeError("parameter range '\(text)' has \(count) values; at most \(Self.maximumValues)")
            }
            // Each value from the start and its index, so steps such as 0.1 do not accumulate error.
            let decimals = [bounds[0], bounds[2]].map { $0.split(separator: ".").dropFirst().first?.count ?? 0 }.max() ?? 0
            let scale = Self.power10(decimals)
            try self.init(name: name, values: (0..<count).map { k in ((start + Double(k) * step) * scale).rounded() / scale })
        } else {
            var values: [Double] = []
            for item in spec.split(separator: ",", omittingEmptySubsequences: false) { values.append(try number(item)) }
            try self.init(name: name, values: values)
        }
    }

    /// Whether every value is a whole number (the parameter stays an integer).
    public var isInteger: Bool { values.allSatisfy { $0 == $0.rounded() } }

    private static func power10(_ n: Int) -> Double {
        var p = 1.0
        for _ in 0..<min(n, 12) { p *= 10 }
        return p
    }
}

/// A rule every trial's parameters must follow: `fast<slow`, `fast<=slow`, `stop>=2`.
///
/// Each side is a parameter name or a number.
public struct ParameterConstraint: Sendable, Equatable, Codable, CustomStringConvertible {
    /// A comparison.
    public enum Relation: String, Sendable, Codable, CaseIterable {
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", unequal = "!="
    }
    /// One side: a parameter or a number.
    public enum Operand: Sendable, Equatable, Codable {
        case parameter(String)
        case number(Double)

        func value(in params: [String: Double]) -> Double? {
            switch self {
            case .parameter(let name): params[name]
            case .number(let v): v
            }
        }

        var text: String {
            switch self {
            case .parameter(let name): name
            case .number(let v): formatNumber(v)
            }
        }
    }

    /// The left side.
    public var left: Operand
    /// The comparison.
    public var relation: Relation
    /// The right side.
    public var right: Operand

    /// Parses `a<b`, `a<=b`, `a>b`, `a>=b` or `a!=b`.
    /// - Throws: ``OptimizeError`` when it is none of these.
    public init(parsing text: String) throws(OptimizeError) {
        // Two-character relations first, so `<=` is not read as `<`.
        for relation in [Relation.lessOrEqual, .greaterOrEqual, .unequal, .less, .greater] {
            guard let range = text.firstRange(of: relation.rawValue) else { continue }
            let l = String(text[..<range.lowerBound]).trimmingSpaces(), r = String(text[range.upperBound...]).trimmingSpaces()
            guard !l.isEmpty, !r.isEmpty else { break }
            left = Double(l).map(Operand.number) ?? .parameter(l)
            right = Double(r).map(Operand.number) ?? .parameter(r)
            self.relation = relation
            return
        }
        throw OptimizeError("constraint '\(text)' must compare two parameters or a parameter and a number with <, <=, >, >= or !=, e.g. fast<slow")
    }

    /// The parameters it names.
    public var names: [String] {
        [left, right].compactMap { if case .parameter(let n) = $0 { n } else { nil } }
    }

    /// Whether `params` satisfy it (a parameter that is not there fails it).
    public func holds(for params: [String: Double]) -> Bool {
        guard let a = left.value(in: params), let b = right.value(in: params) else { return false }
        switch relation {
        case .less: return a < b
        case .lessOrEqual: return a <= b
        case .greater: return a > b
        case .greaterOrEqual: return a >= b
        case .unequal: return a != b
        }
    }

    /// `fast<slow`.
    public var description: String { left.text + relation.rawValue + right.text }
}

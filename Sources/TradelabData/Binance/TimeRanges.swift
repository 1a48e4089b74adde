/// Operations on half-open millisecond ranges `[from, to)`: the coverage arithmetic of the cache.
enum TimeRanges {
    /// Sorts `ranges` and merges those that overlap or touch; empty ranges are dropped.
    static func normalized(_ ranges: [Range<Int64>]) -> [Range<Int64>] {
        var out: [Range<Int64>] = []
        for r in ranges.filter({ !$0.isEmpty }).sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = out.last, r.lowerBound <= last.upperBound {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }

    /// The parts of `a` outside `b` (zero, one or two ranges).
    static func subtracting(_ b: Range<Int64>, from a: Range<Int64>) -> [Range<Int64>] {
        guard a.overlaps(b) else { return a.isEmpty ? [] : [a] }
        return [a.lowerBound..<max(a.lowerBound, b.lowerBound), min(a.upperBound, b.upperBound)..<a.upperBound].filter { !$0.isEmpty }
    }

    /// The smallest range holding both.
    static func hull(_ a: Range<Int64>, _ b: Range<Int64>) -> Range<Int64> {
        min(a.lowerBound, b.lowerBound)..<max(a.upperBound, b.upperBound)
    }

    /// Whether any of `ranges` contains `value`.
    static func contains(_ ranges: [Range<Int64>], _ value: Int64) -> Bool {
        ranges.contains { $0.contains(value) }
    }
}

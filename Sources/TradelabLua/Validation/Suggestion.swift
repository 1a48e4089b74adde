/// "Did you mean" suggestions for misspelt names.
enum Suggestion {
    /// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo
    /// (one edit for words of up to 4 characters, two for longer ones; a swap of neighbours is one).
    static func closest<S: Sequence<String>>(to word: String, in candidates: S) -> String? {
        guard word.count <= 64 else { return nil }   // a bound on the work for absurd input
        let lowered = word.lowercased()
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let d = distance(lowered, candidate.lowercased())
            if d < (best?.distance ?? Int.max) { best = (candidate, d) }
        }
        guard let best, best.distance <= (word.count <= 4 ? 1 : 2) else { return nil }
        return best.name
    }

    /// " (did you mean 'x'?)" or "".
    static func didYouMean<S: Sequence<String>>(_ word: String, in candidates: S, prefix: String = "") -> String {
        closest(to: word, in: candidates).map { " (did you mean '\(prefix)\($0)'?)" } ?? ""
    }

    /// Edit distance over Unicode scalars: insertions, deletions, substitutions and swaps of two
    /// neighbours each cost 1 (optimal string alignment).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }
}

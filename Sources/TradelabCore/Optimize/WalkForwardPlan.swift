/// The windows of a walk-forward test: `folds` in-sample windows, each followed by the
/// out-of-sample window its best parameters are tested on.
///
/// The out-of-sample windows are equal, follow one another without overlap and end at the last
/// bar; each in-sample window is `inSample / (1 - inSample)` times as long (rolling) or starts at
/// the first bar (anchored). With `n` bars: `oos = floor(n / (folds + inSample / (1 - inSample)))`
/// and the first in-sample window takes the rest, `n - folds × oos`.
///
/// ```swift
/// let plan = try WalkForwardPlan(bars: 1_000, folds: 4, inSample: 0.7, anchored: false)
/// plan.windows[0]   // inSample 0..<372, outOfSample 372..<529 (then 529..<686, ...)
/// ```
public struct WalkForwardPlan: Sendable, Equatable {
    /// One fold: bar ranges of its in-sample and out-of-sample windows.
    public struct Window: Sendable, Equatable {
        /// Bars the parameters are optimized on.
        public var inSample: Range<Int>
        /// The bars right after, the best parameters are tested on.
        public var outOfSample: Range<Int>
    }

    /// The folds in time order.
    public let windows: [Window]

    /// Plans the folds over `bars` bars.
    /// - Parameters:
    ///   - folds: Number of folds, at least 1.
    ///   - inSample: The in-sample share of a fold, strictly between 0 and 1.
    ///   - anchored: Every in-sample window starts at the first bar (else they roll).
    /// - Throws: ``OptimizeError`` for bad options or too few bars (fewer than ``minimumBars`` in a window).
    public init(bars: Int, folds: Int, inSample: Double, anchored: Bool) throws(OptimizeError) {
        try Self.validate(folds: folds, inSample: inSample)
        let oos = Int((Double(bars) / (Double(folds) + inSample / (1 - inSample))).rounded(.down))
        let first = bars - folds * oos
        guard oos >= Self.minimumBars, first >= Self.minimumBars else {
            throw OptimizeError("\(bars) bars are too few for \(folds) walk-forward folds at \(formatNumber(inSample * 100))% in-sample")
        }
        windows = (0..<folds).map { k in
            let start = first + k * oos
            return Window(inSample: (anchored ? 0 : k * oos)..<start, outOfSample: start..<(start + oos))
        }
    }

    /// The fewest bars a window may have.
    public static let minimumBars = 10

    /// Checks the options alone (before any bar is known).
    /// - Throws: ``OptimizeError`` for fewer than 1 or more than 1,000 folds, or a share outside (0, 1).
    public static func validate(folds: Int, inSample: Double) throws(OptimizeError) {
        guard folds >= 1, folds <= 1_000 else { throw OptimizeError("--walk-forward takes 1 to 1000 folds, was \(folds)") }
        guard inSample > 0, inSample < 1 else {
            throw OptimizeError("--in-sample must be a share strictly between 0 and 100%, was \(formatNumber(inSample * 100))%")
        }
    }
}

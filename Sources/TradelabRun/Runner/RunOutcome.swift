import TradelabCore
import TradelabLua

/// What ``JobRunner/run(control:observer:)`` returns: the results in their one encoding, and the
/// core values they were made from (for reports and artifacts).
public struct RunOutcome: Sendable {
    /// The results, whole: full first-run curve, every trade, run curves thinned for overlays
    /// (nil when a stop came before the first bar).
    public var results: RunResults?
    /// The runs that produced results (one, or the randomized windows), in run order.
    public var runs: [RandomizedRun]
    /// Buy-and-hold on each run's bars, when the job asked for it.
    public var baselineRuns: [RandomizedRun]?
    /// All the bars loaded.
    public var bars: BarSeries
    /// Their timeframe, when known.
    public var timeframe: Timeframe?
    /// What the loader noticed (resampling, reordering, ...).
    public var notes: [String]
    /// What the script printed with print()/log() in the first run (Lua only).
    public var log: [LuaLogLine]
    /// The final live state, when the observer wanted live states.
    public var finalState: LiveState?
}

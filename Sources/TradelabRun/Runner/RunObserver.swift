/// What a ``JobRunner`` tells while it runs. Every method has an empty default, so an observer
/// implements only what it shows. Calls come from the thread running the job (or, for windows
/// run in parallel, from any of its threads, one at a time).
public protocol RunObserver: AnyObject, Sendable {
    /// Whether the runner should build live states (a small cost per slice).
    var wantsLiveStates: Bool { get }
    /// The bars are loaded and the windows drawn: `totalBars` over `runs` runs.
    func runStarted(totalBars: Int, runs: Int)
    /// A slice was processed: `done` of `total` bars; `state()` builds the live state (nil unless
    /// ``wantsLiveStates``), so an observer that shows only some states pays only for those.
    func progressed(done: Int, total: Int, state: () -> LiveState?)
    /// A run (window) finished: `done` of `total` runs.
    func runFinished(done: Int, total: Int)
    /// A pause took effect (the run waits between two slices).
    func paused(state: LiveState?)
    /// The run continues after a pause.
    func resumed()
}

extension RunObserver {
    public var wantsLiveStates: Bool { false }
    public func runStarted(totalBars: Int, runs: Int) {}
    public func progressed(done: Int, total: Int, state: () -> LiveState?) {}
    public func runFinished(done: Int, total: Int) {}
    public func paused(state: LiveState?) {}
    public func resumed() {}
}

import TradelabCore

/// Randomized testing: `runs` windows of `duration` at random starts, drawn with `seed`.
public struct RandomizedWindows: Sendable, Equatable, Codable {
    /// Number of windows (1...100,000).
    public var runs: Int
    /// Length of every window.
    public var duration: TimeSpan
    /// Seed of the draw: the same seed gives the same windows.
    public var seed: UInt64

    /// Creates the settings.
    public init(runs: Int, duration: TimeSpan, seed: UInt64 = 42) {
        self.runs = runs
        self.duration = duration
        self.seed = seed
    }

    /// The core test these settings describe.
    public var test: RandomizedTest { RandomizedTest(runs: runs, duration: duration, seed: seed) }
}

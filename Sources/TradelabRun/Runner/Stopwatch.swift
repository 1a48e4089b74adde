import Dispatch

/// Elapsed wall-clock time in milliseconds since it was started.
struct Stopwatch {
    private let start = DispatchTime.now().uptimeNanoseconds

    /// Milliseconds since creation.
    var milliseconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 }
}

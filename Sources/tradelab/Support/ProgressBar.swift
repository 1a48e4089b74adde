#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A one-line progress bar on standard error, shown only when standard error is a terminal.
///
/// Updates are throttled to ten per second; `finish()` erases the line.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let enabled: Bool
    private let start = Date()
    private var lastDraw = Date.distantPast
    private let lock = NSLock()

    /// Creates a bar; `force` draws even when not on a terminal (tests).
    init(_ label: String, force: Bool = false) {
        self.label = label
        enabled = force || isatty(STDERR_FILENO) == 1
    }

    /// Draws `fraction` (0...1) with an optional detail such as "12/50 runs".
    func update(_ fraction: Double, detail: String = "") {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 || fraction >= 1 else { return }
        lastDraw = now
        let width = 30
        let filled = Int((min(max(fraction, 0), 1) * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let elapsed = String(format: "%.1fs", now.timeIntervalSince(start))
        let line = "\(label) \(bar) \(String(format: "%3.0f%%", fraction * 100)) \(detail) \(elapsed)"
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
    }

    /// Erases the bar.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}

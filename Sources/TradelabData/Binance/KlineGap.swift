import Foundation
import TradelabCore

/// Missing bars between two bars an exchange did send: an outage (Binance does not invent bars
/// for them, and neither does the cache).
public struct KlineGap: Sendable, Codable, Equatable, CustomStringConvertible {
    /// Open time of the first missing bar, UTC ms.
    public var from: Int64
    /// Open time of the next bar that exists, UTC ms.
    public var to: Int64
    /// Bars missing.
    public var missingBars: Int

    /// Creates a gap.
    public init(from: Int64, to: Int64, missingBars: Int) {
        self.from = from
        self.to = to
        self.missingBars = missingBars
    }

    /// `2024-01-10 00:00 → 2024-01-10 02:00 (120 bars)`.
    public var description: String {
        func minute(_ t: Int64) -> String { String(UTCTime.format(t).prefix(16)).replacingOccurrences(of: "T", with: " ") }
        return "\(minute(from)) → \(minute(to)) (\(missingBars) bar\(missingBars == 1 ? "" : "s"))"
    }

    /// The gaps between consecutive open times that are more than one interval apart.
    /// - Parameters:
    ///   - timestamps: Open times, strictly increasing.
    ///   - interval: The bar length.
    /// - Returns: The gaps, oldest first.
    /// - Complexity: O(n).
    public static func find(in timestamps: [Int64], interval: Timeframe) -> [KlineGap] {
        var gaps: [KlineGap] = []
        let step = interval.milliseconds
        for i in timestamps.indices.dropFirst() where timestamps[i] - timestamps[i - 1] > step {
            let from = timestamps[i - 1] + step
            gaps.append(KlineGap(from: from, to: timestamps[i], missingBars: interval.expectedBars(in: from..<timestamps[i])))
        }
        return gaps
    }
}

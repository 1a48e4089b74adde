#if canImport(Glibc)
import Glibc  // log (libm only; TradelabCore does not use Foundation)
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The probability of backtest overfitting (PBO) by combinatorially symmetric cross-validation
/// (Bailey, Borwein, López de Prado and Zhu, 2015).
///
/// The bars are cut into `S` blocks. For every way of choosing `S/2` of them as in-sample (the
/// rest out of sample), the trial with the best in-sample Sharpe ratio is found and its
/// out-of-sample Sharpe ratio ranked among every trial's: `ω = rank / (N + 1)` (average rank on
/// ties), `λ = ln(ω / (1 - ω))`. PBO is the share of the `C(S, S/2)` choices where `λ <= 0`: the
/// in-sample best did no better than the median out of sample. Near 0, choosing the best carries
/// over; near 0.5 or above, the choice is noise.
///
/// ```swift
/// let pbo = OverfittingProbability.cscv(trialBlocks)   // one ReturnBlocks per trial
/// print(pbo?.probability ?? .nan)
/// ```
public struct OverfittingProbability: Sendable, Equatable, Codable {
    /// The share of in-sample/out-of-sample splits where the in-sample best ranked at or below
    /// the median out of sample.
    public var probability: Double
    /// Blocks the bars were cut into (`S`).
    public var blocks: Int
    /// Splits evaluated, `C(S, S/2)`.
    public var combinations: Int
    /// Trials compared.
    public var trials: Int
    /// Median of `λ` over the splits (above 0: the in-sample best usually beats the median).
    public var medianLogit: Double

    /// Most (trials × splits) evaluated: past it the blocks are merged in pairs (16, 8, 4, 2).
    public static let budget = 2_000_000

    /// PBO over the trials' return blocks (all cut alike, an even number of blocks); nil with
    /// fewer than 2 trials.
    /// - Complexity: O(trials × C(S, S/2) × S).
    public static func cscv(_ runs: [ReturnBlocks]) -> OverfittingProbability? {
        guard runs.count >= 2, let first = runs.first, first.count >= 2, runs.allSatisfy({ $0.count == first.count }) else { return nil }
        var runs = runs
        while runs[0].count > 2, runs[0].count % 2 == 0, runs.count * binomial(runs[0].count, runs[0].count / 2) > budget {
            runs = runs.map { $0.mergedInPairs() }
        }
        let s = runs[0].count - runs[0].count % 2
        let n = runs.count
        // Flat block columns (trial-major) and the masks' block lists: the inner loop adds 8 blocks.
        var counts = [Double](), sums = [Double](), squares = [Double]()
        for run in runs {
            counts += run.counts.prefix(s).map(Double.init)
            sums += run.sums.prefix(s)
            squares += run.squares.prefix(s)
        }
        func sharpe(_ j: Int, _ blocks: [Int]) -> Double {
            var c = 0.0, sum = 0.0, sq = 0.0
            for k in blocks {
                c += counts[j * s + k]
                sum += sums[j * s + k]
                sq += squares[j * s + k]
            }
            return ReturnBlocks.sharpe(count: c, sum: sum, squares: sq)
        }
        var logits: [Double] = []
        var outOfSample = [Double](repeating: 0, count: n)
        for mask in 0..<(1 << s) where mask.nonzeroBitCount == s / 2 {
            let inSample = (0..<s).filter { mask & (1 << $0) != 0 }, rest = (0..<s).filter { mask & (1 << $0) == 0 }
            var best = 0, bestSharpe = -Double.infinity
            for j in 0..<n {
                let sr = sharpe(j, inSample)
                if sr > bestSharpe { (best, bestSharpe) = (j, sr) }
                outOfSample[j] = sharpe(j, rest)
            }
            let value = outOfSample[best]
            var less = 0, equal = 0
            for v in outOfSample { if v < value { less += 1 } else if v == value { equal += 1 } }
            let rank = Double(less) + Double(equal + 1) / 2
            let omega = rank / Double(n + 1)
            logits.append(log(omega / (1 - omega)))
        }
        let sorted = logits.sorted()
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        return OverfittingProbability(probability: Double(logits.count { $0 <= 0 }) / Double(logits.count), blocks: s,
                                      combinations: logits.count, trials: n, medianLogit: median)
    }

    static func binomial(_ n: Int, _ k: Int) -> Int {
        var result = 1
        for i in 0..<k { result = result * (n - i) / (i + 1) }
        return result
    }
}

extension ReturnBlocks {
    /// The blocks summed two by two (half as many).
    func mergedInPairs() -> ReturnBlocks {
        var merged = ReturnBlocks(count: count / 2, bars: bars)
        for k in 0..<count / 2 {
            merged.set(k, count: counts[2 * k] + counts[2 * k + 1], sum: sums[2 * k] + sums[2 * k + 1],
                       squares: squares[2 * k] + squares[2 * k + 1])
        }
        return merged
    }
}

/// Moving average convergence/divergence (TA-Lib `MACD`): line, signal and histogram.
///
/// TA-Lib's seeding, reproduced exactly:
/// - the slow EMA is seeded at index `slow - 1` with the average of `x[0..<slow]`;
/// - the fast EMA is seeded **at the same index** with the average of the `fast` values ending
///   there, `x[slow-fast..<slow]` (not at `fast - 1`), and both advance in lockstep;
/// - the MACD line is `fast - slow`; the signal EMA is seeded with the average of the first
///   `signal` line values and its first value is at `slow - 1 + signal - 1` (the lookback);
/// - histogram = line - signal. All three outputs are NaN before the lookback.
///
/// When `slow < fast` the two are swapped, as TA-Lib does.
///
/// ```swift
/// let (line, signal, histogram) = MACD.compute(closes, fast: 12, slow: 26, signal: 9)
/// ```
public struct MACD: Sendable {
    /// Fast EMA period (after the swap, `fast <= slow`).
    public let fast: Int
    /// Slow EMA period.
    public let slow: Int
    /// Signal EMA period.
    public let signal: Int
    @usableFromInline let fastK: Double
    @usableFromInline let slowK: Double
    @usableFromInline let signalK: Double
    @usableFromInline var count = 0
    @usableFromInline var fastEMA = 0.0
    @usableFromInline var slowEMA = 0.0
    @usableFromInline var signalEMA = 0.0

    /// Number of leading NaN outputs: `slow - 1 + signal - 1`.
    public var lookback: Int { slow - 1 + signal - 1 }

    /// Creates a streaming MACD.
    /// - Precondition: `fast >= 2`, `slow >= 2`, `signal >= 1` (TA-Lib's ranges).
    public init(fast: Int = 12, slow: Int = 26, signal: Int = 9) {
        precondition(fast >= 2 && slow >= 2 && signal >= 1,
                     "MACD needs fast >= 2, slow >= 2, signal >= 1; was \(fast), \(slow), \(signal)")
        self.fast = Swift.min(fast, slow)
        self.slow = Swift.max(fast, slow)
        self.signal = signal
        fastK = 2.0 / Double(self.fast + 1)
        slowK = 2.0 / Double(self.slow + 1)
        signalK = 2.0 / Double(signal + 1)
    }

    /// Feeds the next value and returns the three outputs (NaN while warming up).
    @inlinable
    public mutating func update(_ x: Double) -> (macd: Double, signal: Double, histogram: Double) {
        let i = count
        count += 1
        let seed = slow - 1
        if i < seed {
            slowEMA += x
            if i >= slow - fast { fastEMA += x }
            return (.nan, .nan, .nan)
        }
        if i == seed {
            slowEMA += x
            fastEMA += x
            slowEMA = slowEMA / Double(slow)
            fastEMA = fastEMA / Double(fast)
        } else {
            fastEMA = (x - fastEMA) * fastK + fastEMA
            slowEMA = (x - slowEMA) * slowK + slowEMA
        }
        let line = fastEMA - slowEMA
        let first = lookback
        if i < first {
            signalEMA += line
            return (.nan, .nan, .nan)
        }
        if i == first {
            signalEMA += line
            signalEMA = signalEMA / Double(signal)
        } else {
            signalEMA = (line - signalEMA) * signalK + signalEMA
        }
        return (line, signalEMA, line - signalEMA)
    }

    /// The MACD of a whole array.
    /// - Parameters:
    ///   - values: The input series.
    ///   - fast: Fast EMA period, `>= 2`.
    ///   - slow: Slow EMA period, `>= 2` (swapped with `fast` if smaller).
    ///   - signal: Signal EMA period, `>= 1`.
    /// - Returns: Line, signal and histogram, each one value per input, NaN before the lookback.
    /// - Complexity: O(n).
    @inlinable
    public static func compute(_ values: [Double], fast: Int = 12, slow: Int = 26, signal: Int = 9)
        -> (macd: [Double], signal: [Double], histogram: [Double]) {
        let proto = MACD(fast: fast, slow: slow, signal: signal)
        let fast = proto.fast, slow = proto.slow, signalPeriod = proto.signal
        let fastK = proto.fastK, slowK = proto.slowK, signalK = proto.signalK
        let n = values.count
        let first = proto.lookback
        var lineOut = [Double](), signalOut = [Double]()
        let histOut = values.withUnsafeBufferPointer { x in
            makeColumn(n) { hist in
                lineOut = makeColumn(n) { line in
                    signalOut = makeColumn(n) { sig in
                        guard first < n else {
                            fillNaN(line, upTo: n); fillNaN(sig, upTo: n); fillNaN(hist, upTo: n)
                            return
                        }
                        fillNaN(line, upTo: first); fillNaN(sig, upTo: first); fillNaN(hist, upTo: first)
                        var slowEMA = 0.0, fastEMA = 0.0
                        var i = 0
                        while i < slow - fast { slowEMA += x[i]; i += 1 }
                        while i < slow { fastEMA += x[i]; slowEMA += x[i]; i += 1 }
                        slowEMA = slowEMA / Double(slow)
                        fastEMA = fastEMA / Double(fast)
                        var lineValue = fastEMA - slowEMA
                        var signalEMA = 0.0
                        signalEMA += lineValue
                        while i <= first {
                            let v = x[i]
                            fastEMA = (v - fastEMA) * fastK + fastEMA
                            slowEMA = (v - slowEMA) * slowK + slowEMA
                            lineValue = fastEMA - slowEMA
                            signalEMA += lineValue
                            i += 1
                        }
                        signalEMA = signalEMA / Double(signalPeriod)
                        line[first] = lineValue
                        sig[first] = signalEMA
                        hist[first] = lineValue - signalEMA
                        while i < n {
                            let v = x[i]
                            fastEMA = (v - fastEMA) * fastK + fastEMA
                            slowEMA = (v - slowEMA) * slowK + slowEMA
                            lineValue = fastEMA - slowEMA
                            signalEMA = (lineValue - signalEMA) * signalK + signalEMA
                            line[i] = lineValue
                            sig[i] = signalEMA
                            hist[i] = lineValue - signalEMA
                            i += 1
                        }
                    }
                }
            }
        }
        return (lineOut, signalOut, histOut)
    }
}

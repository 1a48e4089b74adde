/// Monte Carlo resampling of a backtest's trades: how much of its final equity and drawdown is
/// the luck of the order (and the draw) of its trades.
///
/// Each trade is an account return `r` (its P&L over the equity before it opened); a path
/// compounds a sequence of them from the initial equity. **Shuffle** permutes the trades: the
/// final equity is the same for every order, the drawdown is not. **Bootstrap** draws as many
/// trades with replacement: both vary. Seeded: the same seed gives the same paths.
///
/// ```swift
/// let mc = MonteCarlo(initialEquity: 10_000, returns: [0.02, -0.01, 0.03], simulations: 1_000, seed: 7).run()
/// print(mc.bootstrap.finalEquity.p5, mc.bootstrap.probabilityOfLoss)
/// ```
public struct MonteCarlo: Sendable {
    /// The equity every path starts from.
    public var initialEquity: Double
    /// The trades' account returns, in the order they closed.
    public var returns: [Double]
    /// Paths per method.
    public var simulations: Int
    /// Seed of the draws.
    public var seed: UInt64

    /// Creates a resampling.
    public init(initialEquity: Double, returns: [Double], simulations: Int, seed: UInt64) {
        self.initialEquity = initialEquity
        self.returns = returns
        self.simulations = simulations
        self.seed = seed
    }

    /// Percentiles (linear interpolation between order statistics, as numpy's default).
    public struct Percentiles: Sendable, Equatable, Codable {
        public var p5: Double, p25: Double, p50: Double, p75: Double, p95: Double

        /// The percentiles of `values` (not empty).
        public init(of values: [Double]) {
            let sorted = values.sorted()
            func at(_ q: Double) -> Double {
                let position = q * Double(sorted.count - 1)
                let low = Int(position), high = min(low + 1, sorted.count - 1)
                return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
            }
            (p5, p25, p50, p75, p95) = (at(0.05), at(0.25), at(0.5), at(0.75), at(0.95))
        }
    }

    /// What the paths of one method gave.
    public struct Distribution: Sendable, Equatable, Codable {
        /// Final equity of the paths.
        public var finalEquity: Percentiles
        /// Maximum drawdown of the paths (a fraction, <= 0; measured trade to trade).
        public var maxDrawdown: Percentiles
        /// Share of paths ending below the initial equity.
        public var probabilityOfLoss: Double
        /// Equity after each number of trades (at most 100 steps, the last always kept), as
        /// percentiles over the paths: the fan chart.
        public var fan: Fan
        /// Final equities in 20 equal bins: the histogram.
        public var histogram: Histogram
    }

    /// Percentiles of equity after `trades[k]` trades.
    public struct Fan: Sendable, Equatable, Codable {
        public var trades: [Int]
        public var p5: [Double], p25: [Double], p50: [Double], p75: [Double], p95: [Double]
    }

    /// Counts of values in equal bins between `edges[k]` and `edges[k + 1]`.
    public struct Histogram: Sendable, Equatable, Codable {
        public var edges: [Double]
        public var counts: [Int]
    }

    /// The resampling's result.
    public struct Result: Sendable, Equatable, Codable {
        /// Paths per method.
        public var simulations: Int
        /// The seed.
        public var seed: UInt64
        /// Trades resampled.
        public var trades: Int
        /// The backtest's own order: its final equity and trade-to-trade maximum drawdown.
        public var actual: Path
        /// Trade order shuffled.
        public var shuffle: Distribution
        /// Trades drawn with replacement.
        public var bootstrap: Distribution
    }

    /// One path's end and worst point.
    public struct Path: Sendable, Equatable, Codable {
        public var finalEquity: Double
        public var maxDrawdown: Double
    }

    /// Runs both methods; nil without a trade or a simulation.
    /// - Complexity: O(simulations × trades), memory O(simulations × 100).
    public func run() -> Result? {
        guard !returns.isEmpty, simulations > 0 else { return nil }
        var rng = SplitMix64(seed: seed)
        let steps = Self.fanSteps(trades: returns.count)
        func distribution(_ draw: (inout SplitMix64, inout [Double]) -> Void) -> Distribution {
            var order = returns
            var finals: [Double] = [], drawdowns: [Double] = []
            var fanColumns = [[Double]](repeating: [], count: steps.count)
            for _ in 0..<simulations {
                draw(&rng, &order)
                var equity = initialEquity, peak = initialEquity, deepest = 0.0, step = 0
                for (k, r) in order.enumerated() {
                    equity *= 1 + r
                    if equity > peak { peak = equity } else if peak > 0 { deepest = min(deepest, equity / peak - 1) }
                    if step < steps.count, steps[step] == k + 1 {
                        fanColumns[step].append(equity)
                        step += 1
                    }
                }
                finals.append(equity)
                drawdowns.append(deepest)
            }
            let bands = fanColumns.map(Percentiles.init(of:))
            return Distribution(finalEquity: Percentiles(of: finals), maxDrawdown: Percentiles(of: drawdowns),
                                probabilityOfLoss: Double(finals.count { $0 < initialEquity }) / Double(simulations),
                                fan: Fan(trades: steps, p5: bands.map(\.p5), p25: bands.map(\.p25), p50: bands.map(\.p50),
                                         p75: bands.map(\.p75), p95: bands.map(\.p95)),
                                histogram: Self.histogram(finals))
        }
        let shuffle = distribution { rng, order in order.shuffle(using: &rng) }
        let source = returns
        let bootstrap = distribution { rng, order in
            for k in order.indices { order[k] = source[Int(rng.next() % UInt64(source.count))] }
        }
        return Result(simulations: simulations, seed: seed, trades: returns.count, actual: Self.path(initialEquity, returns),
                      shuffle: shuffle, bootstrap: bootstrap)
    }

    /// The final equity and maximum drawdown of compounding `returns` in order.
    static func path(_ initial: Double, _ returns: [Double]) -> Path {
        var equity = initial, peak = initial, deepest = 0.0
        for r in returns {
            equity *= 1 + r
            if equity > peak { peak = equity } else if peak > 0 { deepest = min(deepest, equity / peak - 1) }
        }
        return Path(finalEquity: equity, maxDrawdown: deepest)
    }

    /// Trade counts at which the fan is measured: every one up to 100 trades, else 100 evenly
    /// spaced ones ending at the last.
    static func fanSteps(trades: Int) -> [Int] {
        guard trades > 100 else { return Array(1...trades) }
        return (1...100).map { Int((Double($0) * Double(trades) / 100).rounded()) }
    }

    /// 20 equal bins over the values' range (one bin when they are all equal).
    static func histogram(_ values: [Double]) -> Histogram {
        let low = values.min()!, high = values.max()!
        guard high > low else { return Histogram(edges: [low, high], counts: [values.count]) }
        let bins = 20, width = (high - low) / Double(bins)
        var counts = [Int](repeating: 0, count: bins)
        for v in values { counts[min(bins - 1, Int((v - low) / width))] += 1 }
        return Histogram(edges: (0...bins).map { low + Double($0) * width }, counts: counts)
    }
}

/// The strategies built into Tradelab, selectable by name with numeric parameters.
///
/// A concrete type rather than an existential, so the backtest loop stays specialized: one switch
/// per bar on ``kind`` and a direct, in-place call of the selected strategy.
public struct NativeStrategy: Strategy {
    /// Which built-in strategy this is.
    public enum Kind: String, Sendable, CaseIterable {
        case smaCross = "sma-cross"
        case buyAndHold = "buy-and-hold"
    }

    /// The selected strategy.
    public let kind: Kind
    @usableFromInline var smaCross = SmaCross()
    @usableFromInline var buyAndHold = BuyAndHold()

    /// Wraps an SMA crossover.
    public static func smaCross(_ strategy: SmaCross) -> NativeStrategy {
        var s = NativeStrategy(kind: .smaCross)
        s.smaCross = strategy
        return s
    }

    /// Wraps the buy-and-hold baseline.
    public static func buyAndHold(_ strategy: BuyAndHold = BuyAndHold()) -> NativeStrategy {
        NativeStrategy(kind: .buyAndHold)
    }

    private init(kind: Kind) {
        self.kind = kind
    }

    /// One entry of the catalog: name, description and parameters with defaults.
    public struct Info: Sendable {
        /// Name used on the command line, e.g. "sma-cross".
        public var name: String
        /// One-line description.
        public var summary: String
        /// Parameter names with their defaults.
        public var parameters: [(name: String, defaultValue: Double)]
    }

    /// Every native strategy.
    public static let catalog: [Info] = [
        Info(name: Kind.smaCross.rawValue, summary: "SMA crossover: buy on an upward cross, sell on a downward one (strict cross, as backtesting.py)",
             parameters: [("fast", 10), ("slow", 20)]),
        Info(name: Kind.buyAndHold.rawValue, summary: "buy on the first bar and hold (the baseline)", parameters: []),
    ]

    /// Builds a strategy by name.
    /// - Parameters:
    ///   - name: A catalog name.
    ///   - parameters: Overrides of the defaults, e.g. `["fast": 5]`.
    /// - Throws: ``ConfigError`` for an unknown name or parameter, or a non-integer period.
    public init(name: String, parameters: [String: Double] = [:]) throws(ConfigError) {
        guard let info = Self.catalog.first(where: { $0.name == name.lowercased() }), let kind = Kind(rawValue: info.name) else {
            throw ConfigError(parameter: "strategy", value: name, allowed: "one of \(Self.catalog.map(\.name).joined(separator: ", "))")
        }
        let known = Set(info.parameters.map(\.name))
        if let unknown = parameters.keys.sorted().first(where: { !known.contains($0) }) {
            throw ConfigError(parameter: "param", value: unknown,
                              allowed: info.parameters.isEmpty ? "no parameters for \(info.name)" : "one of \(info.parameters.map(\.name).joined(separator: ", ")) for \(info.name)")
        }
        func integer(_ key: String) throws(ConfigError) -> Int {
            let value = parameters[key] ?? info.parameters.first { $0.name == key }!.defaultValue
            guard value == value.rounded(), value >= 1, value <= 1_000_000 else {
                throw ConfigError(parameter: key, value: formatNumber(value), allowed: "a whole number of bars >= 1")
            }
            return Int(value)
        }
        self.init(kind: kind)
        if kind == .smaCross { smaCross = SmaCross(fast: try integer("fast"), slow: try integer("slow")) }
    }

    /// The selected strategy's name.
    public var name: String { kind == .smaCross ? smaCross.name : buyAndHold.name }

    /// The parameter values in use, by name (the catalog's parameters).
    public var parameters: [String: Double] {
        kind == .smaCross ? ["fast": Double(smaCross.fast), "slow": Double(smaCross.slow)] : [:]
    }

    /// The indicators the strategy reads: SMA(fast) and SMA(slow) for `sma-cross`.
    public var indicators: [IndicatorSpec] {
        guard kind == .smaCross else { return [] }
        let periods = smaCross.fast == smaCross.slow ? [smaCross.fast] : [smaCross.fast, smaCross.slow]
        return periods.compactMap { try? IndicatorSpec(name: "sma", parameters: [Double($0)]) }
    }

    /// Takes the strategy's indicators from `cache` (computed once there for every run over its
    /// bars) instead of computing them in each run; the results are the same.
    public mutating func share(_ cache: IndicatorCache) {
        smaCross.sharedIndicators = cache
    }

    /// The selected strategy's warm-up.
    public var warmup: Int { kind == .smaCross ? smaCross.warmup : buyAndHold.warmup }

    /// Prepares the selected strategy.
    public mutating func prepare(bars: BarSeries) throws {
        switch kind {
        case .smaCross: try smaCross.prepare(bars: bars)
        case .buyAndHold: try buyAndHold.prepare(bars: bars)
        }
    }

    /// The selected strategy's next decision (buy-and-hold decides on every bar).
    @inlinable
    public func nextDecision(from index: Int) -> Int {
        kind == .smaCross ? smaCross.nextDecision(from: index) : index
    }

    /// Forwards to the selected strategy, in place.
    @inlinable @inline(__always)
    public mutating func onBar(_ context: StrategyContext) -> Action {
        switch kind {
        case .smaCross: smaCross.onBar(context)
        case .buyAndHold: buyAndHold.onBar(context)
        }
    }
}

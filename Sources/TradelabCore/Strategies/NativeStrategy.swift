/// The strategies built into Tradelab, selectable by name with numeric parameters.
///
/// An enum rather than an existential, so the backtest loop stays specialized (one switch per bar
/// instead of a witness-table call).
public enum NativeStrategy: Strategy {
    case smaCross(SmaCross)
    case buyAndHold(BuyAndHold)

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
        Info(name: "sma-cross", summary: "long/short SMA crossover (strict cross, as backtesting.py)",
             parameters: [("fast", 10), ("slow", 20)]),
        Info(name: "buy-and-hold", summary: "buy on the first bar and hold (the baseline)", parameters: []),
    ]

    /// Builds a strategy by name.
    /// - Parameters:
    ///   - name: A catalog name.
    ///   - parameters: Overrides of the defaults, e.g. `["fast": 5]`.
    /// - Throws: ``ConfigError`` for an unknown name or parameter, or a non-integer period.
    public init(name: String, parameters: [String: Double] = [:]) throws(ConfigError) {
        guard let info = Self.catalog.first(where: { $0.name == name.lowercased() }) else {
            throw ConfigError(parameter: "strategy", value: name, allowed: "one of \(Self.catalog.map(\.name).joined(separator: ", ")) (or a .lua file, once supported)")
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
        switch info.name {
        case "sma-cross": self = .smaCross(SmaCross(fast: try integer("fast"), slow: try integer("slow")))
        default: self = .buyAndHold(BuyAndHold())
        }
    }

    /// The wrapped strategy's name.
    public var name: String {
        switch self {
        case .smaCross(let s): s.name
        case .buyAndHold(let s): s.name
        }
    }

    /// The wrapped strategy's warm-up.
    public var warmup: Int {
        switch self {
        case .smaCross(let s): s.warmup
        case .buyAndHold(let s): s.warmup
        }
    }

    /// Prepares the wrapped strategy.
    public mutating func prepare(bars: BarSeries) throws {
        switch self {
        case .smaCross(var s): try s.prepare(bars: bars); self = .smaCross(s)
        case .buyAndHold(var s): try s.prepare(bars: bars); self = .buyAndHold(s)
        }
    }

    /// Forwards to the wrapped strategy.
    @inlinable @inline(__always)
    public mutating func onBar(_ context: StrategyContext) -> Action {
        switch self {
        case .smaCross(let s): s.onBar(context)
        case .buyAndHold(let s): s.onBar(context)
        }
    }
}

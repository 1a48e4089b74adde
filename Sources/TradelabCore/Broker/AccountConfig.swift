/// How an entry order's quantity is chosen.
public enum Sizing: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Spend this fraction of the available equity (0 < f <= 1), fees included.
    case fractionOfEquity(Double)
    /// Buy or sell exactly this many units.
    case quantity(Double)
    /// Spend this much cash per entry, fees included.
    case cash(Double)

    /// "50%", "qty:10", "cash:1000".
    public var description: String {
        switch self {
        case .fractionOfEquity(let f) where f == 1 - Double.ulpOfOne: "all-in (1 - 2^-52)"
        case .fractionOfEquity(let f): "\(formatNumber(f * 100))%"
        case .quantity(let q): "qty:\(formatNumber(q))"
        case .cash(let c): "cash:\(formatNumber(c))"
        }
    }

    /// Parses "100%", "0.5" (a fraction), "qty:10" / "10u", "cash:1000" / "$1000".
    /// - Throws: ``ConfigError`` naming the accepted forms.
    public init(parsing text: String) throws(ConfigError) {
        let t = text.trimmingSpaces().lowercased()
        func number(_ s: Substring) -> Double? { Double(s).flatMap { $0.isFinite && $0 > 0 ? $0 : nil } }
        let bad = ConfigError(parameter: "size", value: text, allowed: "a fraction (0.5), a percentage (50%), qty:N or cash:AMOUNT, all positive")
        if t.hasSuffix("%") {
            guard let p = number(t.dropLast()), p <= 100 else { throw bad }
            self = .fractionOfEquity(p / 100)
        } else if t.hasPrefix("qty:") || t.hasPrefix("quantity:") {
            guard let q = number(t[t.index(after: t.firstIndex(of: ":")!)...]) else { throw bad }
            self = .quantity(q)
        } else if t.hasSuffix("u") {
            guard let q = number(t.dropLast()) else { throw bad }
            self = .quantity(q)
        } else if t.hasPrefix("cash:") || t.hasPrefix("$") {
            guard let c = number(t.hasPrefix("$") ? t.dropFirst() : t.dropFirst(5)) else { throw bad }
            self = .cash(c)
        } else {
            guard let f = number(Substring(t)), f <= 1 else { throw bad }
            self = .fractionOfEquity(f)
        }
    }
}

/// When orders decided on a bar are filled.
public enum FillMode: String, Sendable, Codable, CaseIterable {
    /// At the next bar's open (stops and limits intrabar from the next bar on). No look-ahead.
    case nextOpen = "next-open"
    /// At the close of the bar the decision was made on. Labelled: the decision uses that close,
    /// so it is only honest where an order can really be placed at the closing price.
    case close
}

/// Arithmetic conventions for sizing and fees.
public enum SizingConvention: String, Sendable, Codable {
    /// Tradelab's own: quantity = (available * fraction - fixed fee) / (price * (1 + rate)).
    case standard
    /// backtesting.py 0.6: quantity = floor(available * fraction // (price + fee(fraction) / fraction)),
    /// with `fraction = 1 - 2^-52` for "all in".
    case backtestingPy = "backtesting.py"
}

/// A misconfigured setting: names the parameter, the value and what is allowed.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The setting at fault, e.g. "commission".
    public var parameter: String
    /// The value given.
    public var value: String
    /// What is accepted.
    public var allowed: String

    /// Creates an error.
    public init(parameter: String, value: String, allowed: String) {
        self.parameter = parameter
        self.value = value
        self.allowed = allowed
    }

    /// "invalid commission '-1': expected a rate in [0, 0.1)".
    public var description: String { "invalid \(parameter) '\(value)': expected \(allowed)" }
}

/// Account and execution settings for a backtest.
public struct AccountConfig: Sendable, Equatable, Codable {
    /// Starting cash.
    public var initialCash: Double = 10_000
    /// Commission as a fraction of traded notional, charged on every fill (0.001 = 0.1%).
    public var commissionRate: Double = 0
    /// Fixed fee charged on every fill, in cash.
    public var commissionFixed: Double = 0
    /// Slippage in basis points, against the trader on market and stop fills.
    public var slippageBps: Double = 0
    /// How entries are sized.
    public var sizing: Sizing = .fractionOfEquity(1)
    /// Allow fractional units; when false quantities are rounded down to whole units.
    public var fractional = true
    /// Allow short positions; when false, `sell` only closes longs.
    public var allowShort = false
    /// Maximum trades open at once (more than 1 allows adding to a position).
    public var maxOpenTrades = 1
    /// When orders fill.
    public var fillMode: FillMode = .nextOpen
    /// Close trades still open at the last bar's close (else they are reported open).
    public var closeAtEnd = false
    /// Stop-loss applied to every entry without its own, as a fraction of entry price (0.02 = 2%).
    public var stopLossFraction: Double?
    /// Take-profit applied to every entry without its own, as a fraction of entry price.
    public var takeProfitFraction: Double?
    /// Sizing and fee arithmetic.
    public var convention: SizingConvention = .standard

    /// Default settings: 10,000 cash, no fees, all-in long-only fractional sizing, next-open fills.
    public init() {}

    /// backtesting.py 0.6 conventions: long/short, whole units, all-in sizing with
    /// `1 - 2^-52` of the available margin, commission on entry and exit, last trade left open.
    /// - Parameters:
    ///   - cash: Starting cash.
    ///   - commission: Commission rate per fill.
    public static func backtestingPy(cash: Double = 10_000, commission: Double = 0) -> AccountConfig {
        var c = AccountConfig()
        c.initialCash = cash
        c.commissionRate = commission
        c.sizing = .fractionOfEquity(1 - Double.ulpOfOne)
        c.fractional = false
        c.allowShort = true
        c.convention = .backtestingPy
        return c
    }

    /// Names of the presets accepted by ``preset(named:)``.
    public static let presetNames = ["default", "backtesting.py"]

    /// A named preset ("default" or "backtesting.py").
    public static func preset(named name: String) throws(ConfigError) -> AccountConfig {
        switch name.lowercased() {
        case "default", "tradelab": AccountConfig()
        case "backtesting.py", "backtesting-py", "backtestingpy": .backtestingPy()
        default: throw ConfigError(parameter: "preset", value: name, allowed: presetNames.joined(separator: " or "))
        }
    }

    /// Checks every setting.
    /// - Throws: ``ConfigError`` for the first invalid one.
    public func validate() throws(ConfigError) {
        func check(_ ok: Bool, _ parameter: String, _ value: Double, _ allowed: String) throws(ConfigError) {
            if !ok { throw ConfigError(parameter: parameter, value: formatNumber(value), allowed: allowed) }
        }
        try check(initialCash.isFinite && initialCash > 0, "cash", initialCash, "a positive amount")
        try check(commissionRate >= 0 && commissionRate < 0.1, "commission", commissionRate, "a rate in [0, 0.1), e.g. 0.001 for 0.1%")
        try check(commissionFixed >= 0 && commissionFixed.isFinite, "fixed fee", commissionFixed, "a non-negative amount")
        try check(slippageBps >= 0 && slippageBps < 1000, "slippage", slippageBps, "basis points in [0, 1000)")
        try check(maxOpenTrades >= 1, "max open trades", Double(maxOpenTrades), "an integer >= 1")
        if let sl = stopLossFraction { try check(sl > 0 && sl < 1, "stop loss", sl, "a fraction in (0, 1), e.g. 0.02 for 2%") }
        if let tp = takeProfitFraction { try check(tp > 0 && tp.isFinite, "take profit", tp, "a positive fraction, e.g. 0.05 for 5%") }
        switch sizing {
        case .fractionOfEquity(let f): try check(f > 0 && f <= 1, "size", f, "a fraction in (0, 1]")
        case .quantity(let q): try check(q > 0 && q.isFinite, "size", q, "a positive quantity")
        case .cash(let c): try check(c > 0 && c.isFinite, "size", c, "a positive cash amount")
        }
    }

    /// Fee for a fill of `quantity` units at `price`.
    @inlinable
    public func fee(quantity: Double, price: Double) -> Double {
        commissionFixed + abs(quantity) * price * commissionRate
    }
}

/// Renders a number without a trailing ".0": 10 -> "10", 0.5 -> "0.5".
public func formatNumber(_ value: Double) -> String {
    if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return String(value)
}

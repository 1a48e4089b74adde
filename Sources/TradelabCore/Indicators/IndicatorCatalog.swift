/// Every indicator the dynamic layer (``IndicatorSpec``) knows, by its spec name.
public enum IndicatorKind: String, Sendable, CaseIterable, Equatable, Hashable {
    /// Simple moving average, ``SMA``.
    case sma
    /// Exponential moving average, ``EMA``.
    case ema
    /// Linearly weighted moving average, ``WMA``.
    case wma
    /// Hull moving average, ``HMA``.
    case hma
    /// Relative strength index, ``RSI``.
    case rsi
    /// MACD line, signal and histogram, ``MACD``.
    case macd
    /// Bollinger Bands, ``BollingerBands``.
    case bbands
    /// Average true range, ``ATR``.
    case atr
    /// Slow stochastic %K/%D, ``Stochastic``.
    case stoch
    /// Average directional index, ``ADX``.
    case adx
    /// Commodity channel index, ``CCI``.
    case cci
    /// Rate of change, ``ROC``.
    case roc
    /// On-balance volume, ``OBV``.
    case obv
    /// Session VWAP anchored at 00:00 UTC, ``VWAP``.
    case vwap
    /// Donchian channel, ``DonchianChannel``.
    case donchian
    /// Keltner channel, ``KeltnerChannel``.
    case keltner

    /// Whether the values are prices, drawn over the candles (moving averages, bands, channels,
    /// VWAP); the others (oscillators, ATR, OBV) have scales of their own and get their own pane.
    public var overlaysPrice: Bool {
        switch self {
        case .sma, .ema, .wma, .hma, .bbands, .vwap, .donchian, .keltner: true
        case .rsi, .macd, .atr, .stoch, .adx, .cci, .roc, .obv: false
        }
    }

    /// The catalog entry of this indicator.
    public var info: IndicatorInfo {
        switch self {
        case .sma:
            .init(kind: self, summary: "Simple moving average of the last `period` values.",
                  parameters: [.period(20)], outputs: ["sma"], acceptsSource: true, reference: "TA-Lib SMA")
        case .ema:
            .init(kind: self, summary: "Exponential moving average, k = 2/(period+1), seeded with the SMA of the first `period` values.",
                  parameters: [.period(20)], outputs: ["ema"], acceptsSource: true, reference: "TA-Lib EMA")
        case .wma:
            .init(kind: self, summary: "Linearly weighted moving average, weights 1...period (newest heaviest).",
                  parameters: [.period(20)], outputs: ["wma"], acceptsSource: true, reference: "TA-Lib WMA")
        case .hma:
            .init(kind: self, summary: "Hull moving average: WMA(2*WMA(n/2) - WMA(n), floor(sqrt(n))).",
                  parameters: [.period(20)], outputs: ["hma"], acceptsSource: true,
                  reference: "numpy reference; equals TA-Lib 0.8.1 HMA")
        case .rsi:
            .init(kind: self, summary: "Wilder's relative strength index, 0...100.",
                  parameters: [.period(14, minimum: 2)], outputs: ["rsi"], acceptsSource: true, reference: "TA-Lib RSI")
        case .macd:
            .init(kind: self, summary: "MACD line (fast EMA - slow EMA), its signal EMA and the histogram (line - signal).",
                  parameters: [.period(12, name: "fast", minimum: 2, summary: "Fast EMA period (at most slow)."),
                               .period(26, name: "slow", minimum: 2, summary: "Slow EMA period."),
                               .period(9, name: "signal", summary: "Signal EMA period.")],
                  outputs: ["macd", "macd_signal", "macd_hist"], acceptsSource: true, reference: "TA-Lib MACD")
        case .bbands:
            .init(kind: self, summary: "Bollinger Bands: SMA middle band ± multiplier population standard deviations.",
                  parameters: [.period(20, minimum: 2),
                               .multiplier(2, summary: "Standard deviations between the middle and each outer band.")],
                  outputs: ["bb_upper", "bb_middle", "bb_lower"], acceptsSource: true,
                  reference: "TA-Lib BBANDS (SMA, nbdevup = nbdevdn)")
        case .atr:
            .init(kind: self, summary: "Wilder's average true range.",
                  parameters: [.period(14)], outputs: ["atr"], acceptsSource: false, reference: "TA-Lib ATR")
        case .stoch:
            .init(kind: self, summary: "Slow stochastic: %K = SMA(fast %K, slow_k), %D = SMA(%K, slow_d), 0...100.",
                  parameters: [.period(14, name: "fast_k", summary: "Bars in the highest-high/lowest-low window."),
                               .period(3, name: "slow_k", summary: "SMA smoothing of %K."),
                               .period(3, name: "slow_d", summary: "SMA smoothing of %D.")],
                  outputs: ["stoch_k", "stoch_d"], acceptsSource: false, reference: "TA-Lib STOCH (SMA, SMA)")
        case .adx:
            .init(kind: self, summary: "Wilder's average directional index (trend strength), 0...100.",
                  parameters: [.period(14, minimum: 2)], outputs: ["adx"], acceptsSource: false, reference: "TA-Lib ADX")
        case .cci:
            .init(kind: self, summary: "Commodity channel index: (tp - mean) / (0.015 * mean absolute deviation).",
                  parameters: [.period(20, minimum: 2)], outputs: ["cci"], acceptsSource: false, reference: "TA-Lib CCI")
        case .roc:
            .init(kind: self, summary: "Rate of change in percent: (x / x[period bars ago] - 1) * 100.",
                  parameters: [.period(10, summary: "Distance in bars to the value compared against.")],
                  outputs: ["roc"], acceptsSource: true, reference: "TA-Lib ROC")
        case .obv:
            .init(kind: self, summary: "On-balance volume, starting at the first bar's volume.",
                  parameters: [], outputs: ["obv"], acceptsSource: false, reference: "TA-Lib OBV")
        case .vwap:
            .init(kind: self, summary: "Volume-weighted average typical price of the UTC day so far (resets at 00:00 UTC).",
                  parameters: [], outputs: ["vwap"], acceptsSource: false, reference: "pandas reference")
        case .donchian:
            .init(kind: self, summary: "Donchian channel: highest high, lowest low of the last `period` bars and their midpoint.",
                  parameters: [.period(20)], outputs: ["dc_upper", "dc_middle", "dc_lower"], acceptsSource: false,
                  reference: "TA-Lib MAX(high) / MIN(low)")
        case .keltner:
            .init(kind: self, summary: "Keltner channel: EMA(close) ± multiplier * ATR, same period.",
                  parameters: [.period(20, summary: "EMA and ATR period."),
                               .multiplier(2, summary: "ATR multiples between the middle line and each band.")],
                  outputs: ["kc_upper", "kc_middle", "kc_lower"], acceptsSource: false,
                  reference: "TA-Lib EMA ± multiplier * TA-Lib ATR")
        }
    }
}

/// A catalog entry: what an indicator computes, its parameters and its outputs.
public struct IndicatorInfo: Sendable, Equatable {
    /// Which indicator.
    public let kind: IndicatorKind
    /// The spec name, e.g. `"macd"`.
    public var name: String { kind.rawValue }
    /// One-line description.
    public let summary: String
    /// Parameters in spec order, with defaults and ranges.
    public let parameters: [IndicatorParameter]
    /// Output column prefixes, in output order (`"macd", "macd_signal", "macd_hist"`); the full
    /// column name appends the parameter values (see ``IndicatorSpec/outputNames``).
    public let outputs: [String]
    /// Whether the indicator reads one price series that `@source` may choose.
    public let acceptsSource: Bool
    /// The reference its values are tested against.
    public let reference: String

    /// The spec text with every parameter at its default, e.g. `"macd:12,26,9"`.
    public var example: String {
        parameters.isEmpty ? name : name + ":" + parameters.map { formatParameter($0.defaultValue) }.joined(separator: ",")
    }
}

/// One numeric parameter of an indicator.
public struct IndicatorParameter: Sendable, Equatable {
    /// Name used in messages and documentation, e.g. `"period"`.
    public let name: String
    /// Value used when the spec omits the parameter.
    public let defaultValue: Double
    /// Accepted values (inclusive).
    public let range: ClosedRange<Double>
    /// Whether the value must be a whole number (periods).
    public let isInteger: Bool
    /// One-line description.
    public let summary: String

    /// Creates a parameter description.
    public init(name: String, defaultValue: Double, range: ClosedRange<Double>, isInteger: Bool, summary: String) {
        self.name = name
        self.defaultValue = defaultValue
        self.range = range
        self.isInteger = isInteger
        self.summary = summary
    }

    /// TA-Lib's largest accepted period.
    public static let maximumPeriod = 100_000

    static func period(_ defaultValue: Int, name: String = "period", minimum: Int = 1,
                       summary: String = "Number of bars.") -> IndicatorParameter {
        IndicatorParameter(name: name, defaultValue: Double(defaultValue),
                           range: Double(minimum)...Double(maximumPeriod), isInteger: true, summary: summary)
    }

    static func multiplier(_ defaultValue: Double, summary: String) -> IndicatorParameter {
        IndicatorParameter(name: "multiplier", defaultValue: defaultValue, range: 0...100, isInteger: false, summary: summary)
    }

    /// "an integer in 1...100000" / "a number in 0...100".
    var allowed: String {
        isInteger ? "an integer in \(Int(range.lowerBound))...\(Int(range.upperBound))"
            : "a number in \(formatParameter(range.lowerBound))...\(formatParameter(range.upperBound))"
    }
}

/// A parameter as written in specs and descriptions: `20`, `2`, `1.5`.
func formatParameter(_ value: Double) -> String {
    if value == value.rounded(), value.magnitude < 1e15 { return String(Int64(value)) }
    return String(value)
}

extension IndicatorSpec {
    /// Every indicator, its parameters (defaults and ranges), outputs and a one-line summary,
    /// in a stable order. The CLI lists it and the web IDE autocompletes from it.
    public static let catalog: [IndicatorInfo] = IndicatorKind.allCases.map(\.info)
}

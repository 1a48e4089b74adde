/// An indicator chosen by name and parameters at run time: `sma:20`, `macd`, `bbands:20,2`,
/// `stoch:14,3,3`, `ema:10@hl2`.
///
/// Grammar: `name[:p1[,p2...]][@source]`. Names are case-insensitive; omitted trailing
/// parameters take their defaults (see ``catalog``); `@source` picks the price series of a
/// single-input indicator (``PriceSource``, default `close`). Whitespace around the parts is
/// ignored. ``description`` renders the canonical text, which parses back to an equal spec.
///
/// ```swift
/// let spec = try IndicatorSpec(parsing: "macd")
/// spec.outputNames      // ["macd_12_26_9", "macd_signal_12_26_9", "macd_hist_12_26_9"]
/// spec.lookback         // 33
/// let columns = spec.compute(on: bars)           // batch, one array per output
/// var stream = spec.makeStream()                 // streaming, bit-identical to the batch
/// let values = stream.update(open: o, high: h, low: l, close: c, volume: v, time: t)
/// ```
public struct IndicatorSpec: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Which indicator.
    public let kind: IndicatorKind
    /// Every parameter value, defaults filled in, in catalog order.
    public let parameters: [Double]
    /// The price series read by single-input indicators; `close` for the others.
    public let source: PriceSource

    /// The spec name, e.g. `"macd"`.
    public var name: String { kind.rawValue }

    /// Parses a spec such as `"bbands:20,2"` or `"sma:50@high"`.
    /// - Throws: ``IndicatorError`` naming the unknown indicator (with the known ones), or the
    ///   parameter at fault with its valid range, or the unknown source.
    public init(parsing text: String) throws(IndicatorError) {
        let spec = trimmed(text)
        guard !spec.isEmpty else {
            throw IndicatorError(spec: text, reason: "empty indicator spec; expected e.g. 'sma:20' or 'macd:12,26,9'")
        }
        var head = Substring(spec)
        var sourceText: Substring?
        if let at = head.firstIndex(of: "@") {
            sourceText = head[head.index(after: at)...]
            head = head[..<at]
        }
        var nameText = head
        var parameterTexts: [Substring] = []
        if let colon = head.firstIndex(of: ":") {
            nameText = head[..<colon]
            parameterTexts = head[head.index(after: colon)...].split(separator: ",", omittingEmptySubsequences: false)
        }
        let name = trimmed(nameText).lowercased()
        guard let kind = IndicatorKind(rawValue: name) else {
            throw IndicatorSpec.unknownIndicator(name, spec: spec)
        }
        let info = kind.info
        if parameterTexts.count > info.parameters.count {
            throw IndicatorError(spec: spec, indicator: name, reason: IndicatorSpec.arityText(info, given: parameterTexts.count))
        }
        var values: [Double] = []
        for (index, raw) in parameterTexts.enumerated() {
            let parameter = info.parameters[index]
            let textValue = trimmed(raw)
            guard !textValue.isEmpty else {
                throw IndicatorError(spec: spec, indicator: name, parameter: parameter.name,
                                     reason: "'\(name)' parameter \(index + 1) ('\(parameter.name)') is empty; "
                                         + "it must be \(parameter.allowed) (omit trailing parameters to use their defaults)")
            }
            guard let value = Double(textValue), value.isFinite else {
                throw IndicatorError(spec: spec, indicator: name, parameter: parameter.name,
                                     reason: "'\(name)' parameter '\(parameter.name)' must be \(parameter.allowed), got '\(textValue)'")
            }
            values.append(value)
        }
        var source = PriceSource.close
        if let sourceText {
            let sourceName = trimmed(sourceText).lowercased()
            guard info.acceptsSource else {
                throw IndicatorError(spec: spec, indicator: name, reason: "'\(name)' reads fixed bar fields and takes no '@source'")
            }
            guard let parsed = PriceSource(rawValue: sourceName) else {
                throw IndicatorError(spec: spec, indicator: name,
                                     reason: "unknown price source '\(sourceName)'; allowed: "
                                         + PriceSource.allCases.map(\.rawValue).joined(separator: ", "))
            }
            source = parsed
        }
        try self.init(kind: kind, given: values, source: source, spec: spec)
    }

    /// Creates a spec from a name and parameter values.
    /// - Parameters:
    ///   - name: An indicator name from ``catalog`` (case-insensitive).
    ///   - parameters: Leading parameter values; omitted trailing ones take their defaults.
    ///   - source: The price series of a single-input indicator.
    /// - Throws: ``IndicatorError`` as ``init(parsing:)`` does.
    public init(name: String, parameters: [Double] = [], source: PriceSource = .close) throws(IndicatorError) {
        let rendered = name + (parameters.isEmpty ? "" : ":" + parameters.map(formatParameter).joined(separator: ","))
            + (source == .close ? "" : "@" + source.rawValue)
        let lowered = trimmed(name).lowercased()
        guard let kind = IndicatorKind(rawValue: lowered) else {
            throw IndicatorSpec.unknownIndicator(lowered, spec: rendered)
        }
        let info = kind.info
        if parameters.count > info.parameters.count {
            throw IndicatorError(spec: rendered, indicator: lowered, reason: IndicatorSpec.arityText(info, given: parameters.count))
        }
        if source != .close && !info.acceptsSource {
            throw IndicatorError(spec: rendered, indicator: lowered, reason: "'\(lowered)' reads fixed bar fields and takes no '@source'")
        }
        try self.init(kind: kind, given: parameters, source: source, spec: rendered)
    }

    /// Validates the given values, fills defaults and checks cross-parameter rules.
    private init(kind: IndicatorKind, given: [Double], source: PriceSource, spec: String) throws(IndicatorError) {
        let info = kind.info
        var values = given
        for (index, parameter) in info.parameters.enumerated() {
            guard index < values.count else {
                values.append(parameter.defaultValue)
                continue
            }
            let value = values[index]
            let integral = !parameter.isInteger || value == value.rounded()
            guard value.isFinite, integral, parameter.range.contains(value) else {
                throw IndicatorError(spec: spec, indicator: info.name, parameter: parameter.name,
                                     reason: "'\(info.name)' parameter '\(parameter.name)' must be \(parameter.allowed), got \(formatParameter(value))")
            }
        }
        if kind == .macd, values[0] > values[1] {
            throw IndicatorError(spec: spec, indicator: info.name, parameter: "fast",
                                 reason: "'macd' parameter 'fast' (\(formatParameter(values[0]))) must not exceed 'slow' (\(formatParameter(values[1])))")
        }
        self.kind = kind
        self.parameters = values
        self.source = source
    }

    private static func unknownIndicator(_ name: String, spec: String) -> IndicatorError {
        let known = IndicatorKind.allCases.map(\.rawValue)
        var reason = name.isEmpty ? "missing indicator name" : "unknown indicator '\(name)'"
        if let guess = known.min(by: { editDistance($0, name) < editDistance($1, name) }),
           !name.isEmpty, editDistance(guess, name) <= 2 {
            reason += " (did you mean '\(guess)'?)"
        }
        return IndicatorError(spec: spec, reason: reason + "; known indicators: " + known.joined(separator: ", "))
    }

    private static func arityText(_ info: IndicatorInfo, given: Int) -> String {
        let names = info.parameters.map(\.name).joined(separator: ", ")
        switch info.parameters.count {
        case 0: return "'\(info.name)' takes no parameters, got \(given)"
        case 1: return "'\(info.name)' takes at most 1 parameter (\(names)), got \(given)"
        default: return "'\(info.name)' takes at most \(info.parameters.count) parameters (\(names)), got \(given)"
        }
    }

    /// The canonical text, e.g. `"bbands:20,2"`, `"obv"`, `"sma:20@high"`; parses back to `self`.
    public var description: String {
        let list = parameters.isEmpty ? "" : ":" + parameters.map(formatParameter).joined(separator: ",")
        return kind.rawValue + list + sourceSuffix("@")
    }

    private func sourceSuffix(_ separator: String) -> String {
        source == .close ? "" : separator + source.rawValue
    }

    /// Column names of the outputs, in ``compute(on:)`` order: the catalog prefix, then every
    /// parameter value, then the source when it is not `close`, joined by `_`; a decimal point
    /// becomes `p` so that names stay identifiers. Examples: `sma_20`, `macd_signal_12_26_9`,
    /// `bb_upper_20_2`, `bb_lower_20_2p5`, `stoch_k_14_3_3`, `ema_10_hl2`, `obv`, `vwap`.
    public var outputNames: [String] {
        var suffix = parameters.map { "_" + formatParameter($0).replacingAll(".", with: "p") }.joined()
        suffix += sourceSuffix("_")
        return kind.info.outputs.map { $0 + suffix }
    }

    /// Index of the first non-NaN output (every output starts there).
    public var lookback: Int {
        let p = parameters.map { Int($0) }
        switch kind {
        case .sma, .ema, .wma, .bbands, .cci, .donchian: return p[0] - 1
        case .hma: return HMA.lookback(period: p[0])
        case .rsi, .atr, .roc, .keltner: return p[0]
        case .macd: return Swift.max(p[0], p[1]) - 1 + p[2] - 1
        case .stoch: return p[0] - 1 + p[1] - 1 + p[2] - 1
        case .adx: return 2 * p[0] - 1
        case .obv, .vwap: return 0
        }
    }

    /// Computes every output over a whole series.
    /// - Returns: One array per output, in ``outputNames`` order, each as long as `bars`, NaN
    ///   before ``lookback``.
    /// - Complexity: O(n) for all indicators but CCI (O(n · period)).
    public func compute(on bars: BarSeries) -> [[Double]] {
        let p = parameters.map { Int($0) }
        let h = bars.high, l = bars.low, c = bars.close
        switch kind {
        case .sma: return [SMA.compute(source.values(in: bars), period: p[0])]
        case .ema: return [EMA.compute(source.values(in: bars), period: p[0])]
        case .wma: return [WMA.compute(source.values(in: bars), period: p[0])]
        case .hma: return [HMA.compute(source.values(in: bars), period: p[0])]
        case .rsi: return [RSI.compute(source.values(in: bars), period: p[0])]
        case .roc: return [ROC.compute(source.values(in: bars), period: p[0])]
        case .macd:
            let r = MACD.compute(source.values(in: bars), fast: p[0], slow: p[1], signal: p[2])
            return [r.macd, r.signal, r.histogram]
        case .bbands:
            let r = BollingerBands.compute(source.values(in: bars), period: p[0], multiplier: parameters[1])
            return [r.upper, r.middle, r.lower]
        case .atr: return [ATR.compute(high: h, low: l, close: c, period: p[0])]
        case .stoch:
            let r = Stochastic.compute(high: h, low: l, close: c, fastK: p[0], slowK: p[1], slowD: p[2])
            return [r.k, r.d]
        case .adx: return [ADX.compute(high: h, low: l, close: c, period: p[0])]
        case .cci: return [CCI.compute(high: h, low: l, close: c, period: p[0])]
        case .obv: return [OBV.compute(close: c, volume: bars.volume)]
        case .vwap: return [VWAP.compute(high: h, low: l, close: c, volume: bars.volume, timestamps: bars.timestamps)]
        case .donchian:
            let r = DonchianChannel.compute(high: h, low: l, period: p[0])
            return [r.upper, r.middle, r.lower]
        case .keltner:
            let r = KeltnerChannel.compute(high: h, low: l, close: c, period: p[0], multiplier: parameters[1])
            return [r.upper, r.middle, r.lower]
        }
    }

    /// A fresh streaming computation of this spec; feeding it the bars of a series one by one
    /// yields exactly (bit for bit) the values of ``compute(on:)``.
    public func makeStream() -> IndicatorStream { IndicatorStream(spec: self) }
}

/// `text` without leading and trailing spaces, tabs and newlines.
private func trimmed<S: StringProtocol>(_ text: S) -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
    guard let first = text.firstIndex(where: { !isSpace($0) }),
          let last = text.lastIndex(where: { !isSpace($0) }) else { return "" }
    return String(text[first...last])
}

/// Levenshtein distance, for "did you mean" suggestions.
private func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var previous = Array(0...b.count)
    for i in a.indices {
        var current = [i + 1]
        for j in b.indices {
            current.append(Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (a[i] == b[j] ? 0 : 1)))
        }
        previous = current
    }
    return previous[b.count]
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}

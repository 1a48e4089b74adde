/// The streaming form of an ``IndicatorSpec``: one update per bar, same values as the batch
/// ``IndicatorSpec/compute(on:)`` bit for bit.
///
/// ```swift
/// var stream = try IndicatorSpec(parsing: "bbands:20,2").makeStream()
/// var row = [Double](repeating: .nan, count: stream.outputCount)
/// for i in 0..<bars.count {
///     stream.update(open: bars.open[i], high: bars.high[i], low: bars.low[i], close: bars.close[i],
///                   volume: bars.volume[i], time: bars.timestamps[i], into: &row)
///     // row == [upper, middle, lower] of bar i (NaN while warming up)
/// }
/// ```
public struct IndicatorStream: Sendable {
    /// The spec being computed.
    public let spec: IndicatorSpec
    /// Number of values each update produces (`spec.outputNames.count`).
    public let outputCount: Int
    var core: any StreamCore

    init(spec: IndicatorSpec) {
        self.spec = spec
        outputCount = spec.kind.info.outputs.count
        core = makeCore(spec)
    }

    /// Feeds the next bar and returns its outputs, in ``IndicatorSpec/outputNames`` order.
    /// Allocates the returned array; see ``update(open:high:low:close:volume:time:into:at:)``
    /// for the allocation-free form.
    public mutating func update(open: Double, high: Double, low: Double, close: Double, volume: Double,
                                time: Int64) -> [Double] {
        var out = [Double](repeating: .nan, count: outputCount)
        update(open: open, high: high, low: low, close: close, volume: volume, time: time, into: &out)
        return out
    }

    /// Feeds the next bar and writes its ``outputCount`` outputs into `output[offset...]`.
    ///
    /// Does not allocate when `output` is uniquely referenced, so an engine can keep one row
    /// buffer for all its indicators, each at its own offset.
    /// - Precondition: `offset >= 0` and `offset + outputCount <= output.count`.
    public mutating func update(open: Double, high: Double, low: Double, close: Double, volume: Double,
                                time: Int64, into output: inout [Double], at offset: Int = 0) {
        precondition(offset >= 0 && offset + outputCount <= output.count,
                     "output buffer of \(output.count) values cannot hold \(outputCount) at offset \(offset)")
        let bar = BarInput(open: open, high: high, low: low, close: close, volume: volume, time: time)
        output.withUnsafeMutableBufferPointer { buffer in
            core.step(bar, into: buffer.baseAddress! + offset)
        }
    }
}

/// One bar's fields, as handed to a stream core.
struct BarInput {
    var open, high, low, close, volume: Double
    var time: Int64

    func value(_ source: PriceSource) -> Double {
        source.value(open: open, high: high, low: low, close: close, volume: volume)
    }
}

/// The type-specific part of an ``IndicatorStream``: feeds one bar to a concrete indicator and
/// writes its outputs.
protocol StreamCore: Sendable {
    mutating func step(_ bar: BarInput, into out: UnsafeMutablePointer<Double>)
}

/// Indicators reading a single price series.
protocol SingleSeriesIndicator: Sendable {
    mutating func update(_ x: Double) -> Double
}

extension SMA: SingleSeriesIndicator {}
extension EMA: SingleSeriesIndicator {}
extension WMA: SingleSeriesIndicator {}
extension HMA: SingleSeriesIndicator {}
extension RSI: SingleSeriesIndicator {}
extension ROC: SingleSeriesIndicator {}

struct SeriesCore<Indicator: SingleSeriesIndicator>: StreamCore {
    var indicator: Indicator
    let source: PriceSource
    mutating func step(_ bar: BarInput, into out: UnsafeMutablePointer<Double>) {
        out[0] = indicator.update(bar.value(source))
    }
}

struct MACDCore: StreamCore {
    var indicator: MACD
    let source: PriceSource
    mutating func step(_ bar: BarInput, into out: UnsafeMutablePointer<Double>) {
        let r = indicator.update(bar.value(source))
        out[0] = r.macd; out[1] = r.signal; out[2] = r.histogram
    }
}

struct BollingerCore: StreamCore {
    var indicator: BollingerBands
    let source: PriceSource
    mutating func step(_ bar: BarInput, into out: UnsafeMutablePointer<Double>) {
        let r = indicator.update(bar.value(source))
        out[0] = r.upper; out[1] = r.middle; out[2] = r.lower
    }
}

struct ATRCore: StreamCore {
    var indicator: ATR
    mutating func step(_ bar: BarInput, into out: UnsafeMutablePointer<Double>) {
        out[0] = indicator.update(high: bar.high, low: bar.low, close: bar.close)
    }
}

struct StochasticCore: StreamCore {
    var indicator: Stochastic
    mutating func step(_ bar: BarInput, into out: UnsafeMutablePointer<Double>) {
        let r = indicator.update(high: bar.high, low: bar.low, close: bar.close)
        out[0] = r.k; out[1] = r.d
    }
}

struct ADXCore: StreamCore {
    var indicator: ADX
    mutating func step(_ bar: BarInput, into out: UnsafeMutablePointer<Double>) {
        out[0] = indicator.update(high: bar.high, low: bar.low, close: bar.close)
    }
}

struct CCICore: StreamCore {
    var indicator: CCI
    mutating func step(_ bar: BarInput, into out: UnsafeMutablePointer<Double>) {
        out[0] = indicator.update(high: bar.high, low: bar.low, close: bar.close)
    }
}

struct OBVCore: StreamCore {
    var indicator = OBV()
    mutating func step(_ bar: BarInput, into out: UnsafeMutablePointer<Double>) {
        out[0] = indicator.update(close: bar.close, volume: bar.volume)
    }
}

struct VWAPCore: StreamCore {
    var indicator = VWAP()
    mutating func step(_ bar: BarInput, into out: UnsafeMutablePointer<Double>) {
        out[0] = indicator.update(high: bar.high, low: bar.low, close: bar.close, volume: bar.volume, time: bar.time)
    }
}

struct DonchianCore: StreamCore {
    var indicator: DonchianChannel
    mutating func step(_ bar: BarInput, into out: UnsafeMutablePointer<Double>) {
        let r = indicator.update(high: bar.high, low: bar.low)
        out[0] = r.upper; out[1] = r.middle; out[2] = r.lower
    }
}

struct KeltnerCore: StreamCore {
    var indicator: KeltnerChannel
    mutating func step(_ bar: BarInput, into out: UnsafeMutablePointer<Double>) {
        let r = indicator.update(high: bar.high, low: bar.low, close: bar.close)
        out[0] = r.upper; out[1] = r.middle; out[2] = r.lower
    }
}

private func makeCore(_ spec: IndicatorSpec) -> any StreamCore {
    let p = spec.parameters.map { Int($0) }
    let source = spec.source
    switch spec.kind {
    case .sma: return SeriesCore(indicator: SMA(period: p[0]), source: source)
    case .ema: return SeriesCore(indicator: EMA(period: p[0]), source: source)
    case .wma: return SeriesCore(indicator: WMA(period: p[0]), source: source)
    case .hma: return SeriesCore(indicator: HMA(period: p[0]), source: source)
    case .rsi: return SeriesCore(indicator: RSI(period: p[0]), source: source)
    case .roc: return SeriesCore(indicator: ROC(period: p[0]), source: source)
    case .macd: return MACDCore(indicator: MACD(fast: p[0], slow: p[1], signal: p[2]), source: source)
    case .bbands: return BollingerCore(indicator: BollingerBands(period: p[0], multiplier: spec.parameters[1]), source: source)
    case .atr: return ATRCore(indicator: ATR(period: p[0]))
    case .stoch: return StochasticCore(indicator: Stochastic(fastK: p[0], slowK: p[1], slowD: p[2]))
    case .adx: return ADXCore(indicator: ADX(period: p[0]))
    case .cci: return CCICore(indicator: CCI(period: p[0]))
    case .obv: return OBVCore()
    case .vwap: return VWAPCore()
    case .donchian: return DonchianCore(indicator: DonchianChannel(period: p[0]))
    case .keltner: return KeltnerCore(indicator: KeltnerChannel(period: p[0], multiplier: spec.parameters[1]))
    }
}

import Testing
@testable import TradelabCore

/// Property: feeding bars one at a time to a stream gives exactly the batch values, for every
/// indicator, over random series (including empty and one-bar ones) and parameters from the
/// smallest allowed to larger than the data.
@Suite struct StreamingEquivalenceTests {
    static let parameterSets: [IndicatorKind: [[Double]]] = [
        .sma: [[1], [2], [20], [500]],
        .ema: [[1], [3], [30], [500]],
        .wma: [[1], [2], [7], [500]],
        .hma: [[1], [2], [3], [16], [500]],
        .rsi: [[2], [14], [500]],
        .macd: [[2, 2, 1], [3, 10, 1], [12, 26, 9], [5, 400, 50]],
        .bbands: [[2, 0], [2, 1], [20, 2.5], [500, 2]],
        .atr: [[1], [14], [500]],
        .stoch: [[1, 1, 1], [5, 3, 3], [14, 1, 5], [300, 100, 100]],
        .adx: [[2], [14], [300]],
        .cci: [[2], [20], [500]],
        .roc: [[1], [10], [500]],
        .obv: [[]],
        .vwap: [[]],
        .donchian: [[1], [20], [500]],
        .keltner: [[1, 1], [20, 2], [500, 1.5]],
    ]

    /// (bar count, seed, price level, tick)
    static let series: [(Int, UInt64, Double, Double)] = [
        (0, 1, 100, 0.01), (1, 2, 100, 0.01), (3, 3, 100, 0.01), (60, 4, 100, 0.01),
        (400, 5, 100, 0.01), (400, 6, 0.0005, 1e-9), (400, 7, 60_000, 0.5),
    ]

    @Test func everyIndicatorHasParameterSets() {
        #expect(Set(Self.parameterSets.keys) == Set(IndicatorKind.allCases))
    }

    @Test(arguments: IndicatorKind.allCases)
    func streamEqualsBatchBitForBit(kind: IndicatorKind) throws {
        for parameters in Self.parameterSets[kind]! {
            let sources: [PriceSource] = kind.info.acceptsSource ? [.close, .hlc3] : [.close]
            for source in sources {
                let spec = try IndicatorSpec(name: kind.rawValue, parameters: parameters, source: source)
                for (count, seed, price, tick) in Self.series {
                    let bars = randomBars(count: count, seed: seed, price: price, tick: tick)
                    let batch = spec.compute(on: bars)
                    #expect(batch.count == spec.outputNames.count)
                    var stream = spec.makeStream()
                    var streamed = [[Double]](repeating: [], count: stream.outputCount)
                    for i in 0..<bars.count {
                        let row = stream.update(open: bars.open[i], high: bars.high[i], low: bars.low[i],
                                                close: bars.close[i], volume: bars.volume[i], time: bars.timestamps[i])
                        for k in row.indices { streamed[k].append(row[k]) }
                    }
                    for k in batch.indices {
                        #expect(bitIdentical(streamed[k], batch[k]), "\(spec) \(spec.outputNames[k]) on \(count) bars, seed \(seed)")
                        let firstValue = batch[k].firstIndex { !$0.isNaN } ?? count
                        #expect(firstValue == Swift.min(spec.lookback, count), "\(spec) lookback on \(count) bars")
                    }
                }
            }
        }
    }

    @Test func updateIntoBufferWritesOnlyItsSlice() throws {
        let bars = randomBars(count: 80, seed: 11)
        let spec = try IndicatorSpec(parsing: "macd:3,8,4")
        let batch = spec.compute(on: bars)
        var stream = spec.makeStream()
        var row = [Double](repeating: -1, count: 7)
        for i in 0..<bars.count {
            stream.update(open: bars.open[i], high: bars.high[i], low: bars.low[i], close: bars.close[i],
                          volume: bars.volume[i], time: bars.timestamps[i], into: &row, at: 2)
            #expect(row[0] == -1 && row[1] == -1 && row[5] == -1 && row[6] == -1)
            for k in 0..<3 { #expect(row[2 + k].bitPattern == batch[k][i].bitPattern) }
        }
    }

    @Test func typedStreamsEqualTypedBatches() {
        let bars = randomBars(count: 300, seed: 12)
        var sma = SMA(period: 7), ema = EMA(period: 7), rsi = RSI(period: 7), atr = ATR(period: 7)
        var macd = MACD(fast: 4, slow: 9, signal: 3), bands = BollingerBands(period: 9, multiplier: 2)
        var stoch = Stochastic(fastK: 9, slowK: 3, slowD: 2), adx = ADX(period: 5), cci = CCI(period: 6)
        var dc = DonchianChannel(period: 8), kc = KeltnerChannel(period: 8, multiplier: 1.5), vwap = VWAP(), obv = OBV()
        var extreme = MovingExtreme(period: 5, highest: false)
        let (h, l, c, v, t) = (bars.high, bars.low, bars.close, bars.volume, bars.timestamps)
        var rows: [String: [Double]] = [:]
        for i in 0..<bars.count {
            rows["sma", default: []].append(sma.update(c[i]))
            rows["ema", default: []].append(ema.update(c[i]))
            rows["rsi", default: []].append(rsi.update(c[i]))
            rows["atr", default: []].append(atr.update(high: h[i], low: l[i], close: c[i]))
            let m = macd.update(c[i])
            rows["macd", default: []].append(m.macd); rows["signal", default: []].append(m.signal)
            rows["hist", default: []].append(m.histogram)
            rows["bb", default: []].append(bands.update(c[i]).lower)
            let s = stoch.update(high: h[i], low: l[i], close: c[i])
            rows["k", default: []].append(s.k); rows["d", default: []].append(s.d)
            rows["adx", default: []].append(adx.update(high: h[i], low: l[i], close: c[i]))
            rows["cci", default: []].append(cci.update(high: h[i], low: l[i], close: c[i]))
            rows["dc", default: []].append(dc.update(high: h[i], low: l[i]).middle)
            rows["kc", default: []].append(kc.update(high: h[i], low: l[i], close: c[i]).upper)
            rows["vwap", default: []].append(vwap.update(high: h[i], low: l[i], close: c[i], volume: v[i], time: t[i]))
            rows["obv", default: []].append(obv.update(close: c[i], volume: v[i]))
            rows["min", default: []].append(extreme.update(l[i]))
        }
        let m = MACD.compute(c, fast: 4, slow: 9, signal: 3)
        let s = Stochastic.compute(high: h, low: l, close: c, fastK: 9, slowK: 3, slowD: 2)
        let expected: [String: [Double]] = [
            "sma": SMA.compute(c, period: 7), "ema": EMA.compute(c, period: 7), "rsi": RSI.compute(c, period: 7),
            "atr": ATR.compute(high: h, low: l, close: c, period: 7),
            "macd": m.macd, "signal": m.signal, "hist": m.histogram,
            "bb": BollingerBands.compute(c, period: 9, multiplier: 2).lower, "k": s.k, "d": s.d,
            "adx": ADX.compute(high: h, low: l, close: c, period: 5), "cci": CCI.compute(high: h, low: l, close: c, period: 6),
            "dc": DonchianChannel.compute(high: h, low: l, period: 8).middle,
            "kc": KeltnerChannel.compute(high: h, low: l, close: c, period: 8, multiplier: 1.5).upper,
            "vwap": VWAP.compute(high: h, low: l, close: c, volume: v, timestamps: t),
            "obv": OBV.compute(close: c, volume: v), "min": MovingExtreme.compute(l, period: 5, highest: false),
        ]
        for (name, values) in expected {
            #expect(bitIdentical(rows[name]!, values), "\(name)")
        }
    }
}

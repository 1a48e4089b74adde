import Testing
@testable import TradelabCore

@Suite struct IndicatorSpecTests {
    @Test(arguments: [
        ("sma:20", "sma:20", ["sma_20"], 19),
        ("ema:10", "ema:10", ["ema_10"], 9),
        ("macd", "macd:12,26,9", ["macd_12_26_9", "macd_signal_12_26_9", "macd_hist_12_26_9"], 33),
        ("macd:12,26,9", "macd:12,26,9", ["macd_12_26_9", "macd_signal_12_26_9", "macd_hist_12_26_9"], 33),
        ("bbands:20,2", "bbands:20,2", ["bb_upper_20_2", "bb_middle_20_2", "bb_lower_20_2"], 19),
        ("bbands:10,2.5", "bbands:10,2.5", ["bb_upper_10_2p5", "bb_middle_10_2p5", "bb_lower_10_2p5"], 9),
        ("stoch:14,3,3", "stoch:14,3,3", ["stoch_k_14_3_3", "stoch_d_14_3_3"], 17),
        ("stoch:5", "stoch:5,3,3", ["stoch_k_5_3_3", "stoch_d_5_3_3"], 8),
        ("adx:14", "adx:14", ["adx_14"], 27),
        ("keltner:20,2", "keltner:20,2", ["kc_upper_20_2", "kc_middle_20_2", "kc_lower_20_2"], 20),
        ("vwap", "vwap", ["vwap"], 0),
        ("obv", "obv", ["obv"], 0),
        ("donchian:20", "donchian:20", ["dc_upper_20", "dc_middle_20", "dc_lower_20"], 19),
        ("hma:9", "hma:9", ["hma_9"], 10),
        ("rsi", "rsi:14", ["rsi_14"], 14),
        ("atr:1", "atr:1", ["atr_1"], 1),
        ("cci", "cci:20", ["cci_20"], 19),
        ("roc:1", "roc:1", ["roc_1"], 1),
        ("wma", "wma:20", ["wma_20"], 19),
        ("sma:50@high", "sma:50@high", ["sma_50_high"], 49),
        ("  EMA : 10 @ HL2 ", "ema:10@hl2", ["ema_10_hl2"], 9),
        ("macd:5,5,1@ohlc4", "macd:5,5,1@ohlc4", ["macd_5_5_1_ohlc4", "macd_signal_5_5_1_ohlc4", "macd_hist_5_5_1_ohlc4"], 4),
        ("sma:2e1", "sma:20", ["sma_20"], 19),
    ])
    func parsesCanonicalTextNamesAndLookback(text: String, canonical: String, names: [String], lookback: Int) throws {
        let spec = try IndicatorSpec(parsing: text)
        #expect(spec.description == canonical)
        #expect(spec.outputNames == names)
        #expect(spec.lookback == lookback)
        #expect(try IndicatorSpec(parsing: spec.description) == spec)
    }

    @Test(arguments: [
        ("", "empty indicator spec; expected e.g. 'sma:20' or 'macd:12,26,9'"),
        ("smaa:20", "unknown indicator 'smaa' (did you mean 'sma'?); known indicators: sma, ema, wma, hma, rsi, macd, bbands, atr, stoch, adx, cci, roc, obv, vwap, donchian, keltner"),
        ("bollinger", "unknown indicator 'bollinger'; known indicators: sma, ema, wma, hma, rsi, macd, bbands, atr, stoch, adx, cci, roc, obv, vwap, donchian, keltner"),
        (":20", "missing indicator name; known indicators: sma, ema, wma, hma, rsi, macd, bbands, atr, stoch, adx, cci, roc, obv, vwap, donchian, keltner"),
        ("sma:0", "'sma' parameter 'period' must be an integer in 1...100000, got 0"),
        ("sma:2.5", "'sma' parameter 'period' must be an integer in 1...100000, got 2.5"),
        ("sma:abc", "'sma' parameter 'period' must be an integer in 1...100000, got 'abc'"),
        ("sma:nan", "'sma' parameter 'period' must be an integer in 1...100000, got 'nan'"),
        ("sma:100001", "'sma' parameter 'period' must be an integer in 1...100000, got 100001"),
        ("sma:", "'sma' parameter 1 ('period') is empty; it must be an integer in 1...100000 (omit trailing parameters to use their defaults)"),
        ("sma:20,3", "'sma' takes at most 1 parameter (period), got 2"),
        ("macd:12,26,9,4", "'macd' takes at most 3 parameters (fast, slow, signal), got 4"),
        ("macd:12,,9", "'macd' parameter 2 ('slow') is empty; it must be an integer in 2...100000 (omit trailing parameters to use their defaults)"),
        ("macd:26,12", "'macd' parameter 'fast' (26) must not exceed 'slow' (12)"),
        ("macd:1,26,9", "'macd' parameter 'fast' must be an integer in 2...100000, got 1"),
        ("rsi:1", "'rsi' parameter 'period' must be an integer in 2...100000, got 1"),
        ("adx:1", "'adx' parameter 'period' must be an integer in 2...100000, got 1"),
        ("bbands:20,-1", "'bbands' parameter 'multiplier' must be a number in 0...100, got -1"),
        ("keltner:20,x", "'keltner' parameter 'multiplier' must be a number in 0...100, got 'x'"),
        ("obv:1", "'obv' takes no parameters, got 1"),
        ("adx:14@high", "'adx' reads fixed bar fields and takes no '@source'"),
        ("sma:20@hi", "unknown price source 'hi'; allowed: open, high, low, close, volume, hl2, hlc3, ohlc4"),
    ])
    func rejectsBadSpecsNamingTheProblem(text: String, reason: String) {
        do {
            let spec = try IndicatorSpec(parsing: text)
            Issue.record("expected an error, parsed \(spec)")
        } catch {
            #expect(error.reason == reason)
            #expect(error.description == "invalid indicator spec '\(error.spec)': \(reason)")
        }
    }

    @Test func errorsNameIndicatorAndParameter() {
        #expect(throws: IndicatorError(spec: "rsi:1", indicator: "rsi", parameter: "period",
                                       reason: "'rsi' parameter 'period' must be an integer in 2...100000, got 1")) {
            try IndicatorSpec(parsing: "rsi:1")
        }
    }

    @Test func initWithNameAndParametersEqualsParsing() throws {
        #expect(try IndicatorSpec(name: "MACD", parameters: [12, 26]) == IndicatorSpec(parsing: "macd"))
        #expect(try IndicatorSpec(name: "sma", parameters: [20], source: .high) == IndicatorSpec(parsing: "sma:20@high"))
        #expect(try IndicatorSpec(name: "bbands") == IndicatorSpec(parsing: "bbands:20,2"))
        #expect(throws: IndicatorError.self) { try IndicatorSpec(name: "sma", parameters: [1.5]) }
        #expect(throws: IndicatorError.self) { try IndicatorSpec(name: "atr", source: .high) }
        do {
            _ = try IndicatorSpec(name: "sma", parameters: [20, 1])
        } catch {
            #expect(error.spec == "sma:20,1")
            #expect(error.reason == "'sma' takes at most 1 parameter (period), got 2")
        }
    }

    @Test func catalogCoversEveryIndicatorOnceInOrder() {
        #expect(IndicatorSpec.catalog.map(\.kind) == IndicatorKind.allCases)
        #expect(Set(IndicatorSpec.catalog.map(\.name)).count == IndicatorKind.allCases.count)
        #expect(IndicatorSpec.catalog.map(\.name) == ["sma", "ema", "wma", "hma", "rsi", "macd", "bbands", "atr",
                                                      "stoch", "adx", "cci", "roc", "obv", "vwap", "donchian", "keltner"])
    }

    @Test(arguments: IndicatorSpec.catalog)
    func catalogEntryIsUsable(info: IndicatorInfo) throws {
        #expect(!info.summary.isEmpty && !info.reference.isEmpty)
        for parameter in info.parameters {
            #expect(parameter.range.contains(parameter.defaultValue), "\(info.name).\(parameter.name)")
            #expect(!parameter.isInteger || parameter.defaultValue == parameter.defaultValue.rounded())
        }
        let byName = try IndicatorSpec(parsing: info.name)
        let byExample = try IndicatorSpec(parsing: info.example)
        #expect(byName == byExample)
        #expect(byName.parameters == info.parameters.map(\.defaultValue))
        #expect(byName.outputNames.count == info.outputs.count)
        #expect(zip(byName.outputNames, info.outputs).allSatisfy { $0.hasPrefix($1) })
        #expect(byName.lookback >= 0)
        #expect(byName.makeStream().outputCount == info.outputs.count)
        let sourced = try? IndicatorSpec(parsing: info.name + "@high")
        #expect((sourced != nil) == info.acceptsSource)
    }

    @Test func outputNamesAreIdentifiers() throws {
        for info in IndicatorSpec.catalog {
            let specs = [try IndicatorSpec(parsing: info.example)] + (info.acceptsSource ? [try IndicatorSpec(parsing: info.name + "@ohlc4")] : [])
            for name in specs.flatMap(\.outputNames) {
                #expect(name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && name.first!.isLetter, "\(name)")
            }
        }
    }

    @Test func computeReturnsOneFullLengthColumnPerOutput() throws {
        let bars = randomBars(count: 50, seed: 3)
        for info in IndicatorSpec.catalog {
            let spec = try IndicatorSpec(parsing: info.name)
            let columns = spec.compute(on: bars)
            #expect(columns.count == spec.outputNames.count)
            #expect(columns.allSatisfy { $0.count == bars.count })
        }
    }
}

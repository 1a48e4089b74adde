import Foundation
import Testing
import TradelabCore
import TradelabData
@testable import TradelabLua

/// The bundled example, strategies/examples/sma_cross.lua (the native sma-cross in Lua).
let smaCrossLua: String = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return try! String(contentsOf: root.appendingPathComponent("strategies/examples/sma_cross.lua"), encoding: .utf8)
}()

/// A seeded random walk with realistic OHLC and a feature column.
func walk(_ n: Int, seed: UInt64) -> BarSeries {
    var g = SplitMix64(seed: seed)
    var price = 100.0
    var o: [Double] = [], h: [Double] = [], l: [Double] = [], c: [Double] = []
    for _ in 0..<n {
        let open = price
        let close = max(1, open * (1 + (g.nextUnit() - 0.5) * 0.03))
        o.append(open); c.append(close)
        h.append(max(open, close) * (1 + g.nextUnit() * 0.01)); l.append(min(open, close) * (1 - g.nextUnit() * 0.01))
        price = close
    }
    return try! BarSeries(timestamps: (0..<n).map { Int64($0) * 60_000 }, open: o, high: h, low: l, close: c,
                          volume: c.map { _ in 1 }, features: [("funding", c.map { $0 / 1000 })])
}

/// Runs `strategy` over `bars` and returns what it printed.
func log(of strategy: LuaStrategy, on bars: BarSeries) throws -> [LuaLogLine] {
    var session = try BacktestSession(strategy: strategy, bars: bars, config: AccountConfig())
    session.advance(by: bars.count)
    if let failure = session.failure { throw failure }
    return session.strategy.log
}

@Suite struct LuaStrategyTests {
    @Test(arguments: [(10, 20), (3, 12), (25, 60)])
    func luaSmaCrossEqualsNativeTradeForTrade(fast: Int, slow: Int) throws {
        let bars = walk(3_000, seed: UInt64(fast * 100 + slow))
        var config = AccountConfig.backtestingPy(cash: 10_000, commission: 0.002)
        config.maxOpenTrades = 1
        let native = try Backtester(config: config).run(SmaCross(fast: fast, slow: slow), on: bars)
        let lua = try Backtester(config: config).run(
            LuaStrategy(source: smaCrossLua, fileName: "sma.lua", parameters: ["fast": Double(fast), "slow": Double(slow)]), on: bars)
        #expect(native.trades.count > 10)
        #expect(lua.trades == native.trades)
        #expect(lua.equity == native.equity)
    }

    @Test func tradeCallsCarrySizeAndRelativeStops() throws {
        let script = """
        function on_bar(ctx, bar)
          if ctx.step == 5 then trade.buy{qty = 3, sl_pct = 2, tp_pct = 4} end
        end
        """
        let bars = walk(200, seed: 1)
        let result = try Backtester().run(LuaStrategy(source: script, fileName: "t.lua"), on: bars)
        let t = try #require(result.trades.first)
        #expect(t.quantity == 3 && t.entryIndex == 5)
        #expect(abs(t.stopLoss! - t.entryPrice * 0.98) < 1e-9)
        #expect(abs(t.takeProfit! - t.entryPrice * 1.04) < 1e-9)
    }

    @Test func contextBarStateFeaturesParamsAndLog() throws {
        let script = """
        -- @param threshold 0.5 [0, 1]
        function on_bar(ctx, bar)
          ctx.state.n = (ctx.state.n or 0) + 1
          if ctx.step == 3 then
            print(ctx.symbol, ctx.timeframe, ctx.state.n, bar.close > 0, bar.funding ~= nil, params.threshold, ctx.position)
          end
        end
        """
        let strategy = try LuaStrategy(source: script, fileName: "c.lua", parameters: ["threshold": 0.25], symbol: "BTCUSDT", timeframe: "1m")
        #expect(try log(of: strategy, on: walk(10, seed: 2)) == [LuaLogLine(bar: 2, text: "BTCUSDT\t1m\t3\ttrue\ttrue\t0.25\t0.0")])
    }

    @Test func indicatorsAreNilDuringWarmupAndMultiOutputHasFields() throws {
        let script = """
        function on_init(ctx)
          m = ta.macd(3, 6, 2)
          s = ta.sma(4)
        end
        function on_bar(ctx, bar)
          if ctx.index == 2 then print(s.value == nil, m.macd.value == nil) end
          if ctx.index == 9 then print(s.value ~= nil, s[1] ~= nil, m.signal.value ~= nil, m.hist.value ~= nil) end
        end
        """
        var session = try BacktestSession(strategy: LuaStrategy(source: script, fileName: "w.lua"), bars: walk(12, seed: 3), config: AccountConfig())
        session.advance(by: 12)
        #expect(session.strategy.warmup == 6)
        #expect(session.strategy.log.map(\.text) == ["true\ttrue", "true\ttrue\ttrue\ttrue"])
    }

    @Test func indicatorOverAnArrayWorksAnywhere() throws {
        let script = """
        function on_bar(ctx, bar)
          if ctx.index == 0 then
            local r = ta.sma(2, {1, 2, 3, 4})
            print(r.n, r[1], r[2], r[4])
          end
        end
        """
        #expect(try log(of: LuaStrategy(source: script, fileName: "a.lua"), on: walk(3, seed: 4)).map(\.text) == ["4\tnil\t1.5\t3.5"])
    }

    @Test func aRejectedTradeCallLeavesNoTrace() throws {
        let script = "function on_bar(ctx, bar) pcall(trade.buy, {size = 0.5, limit = 1e9, stop = 1}) end"
        #expect(try Backtester().run(LuaStrategy(source: script, fileName: "t.lua"), on: walk(100, seed: 8)).trades.isEmpty)
    }

    @Test func lifecycleRecorderCannotBeCapturedThroughGlobals() throws {
        let script = """
        setmetatable(_G, {__newindex = function(t, k, v)
          if type(v) == "function" and rawget(t, "captured") == nil then rawset(t, "captured", v) end
          rawset(t, k, v)
        end})
        function detect_opportunity(ctx, bar) if type(captured) == "function" then pcall(captured, {}, {}, 1) end end
        function filter_commitment() return false end
        function manage_position() end
        """
        var session = try BacktestSession(strategy: LuaStrategy(source: script, fileName: "g.lua"), bars: walk(50, seed: 9), config: AccountConfig())
        session.advance(by: 50)
        #expect(session.failure == nil)
    }

    @Test func runtimeErrorStopsTheRunNamingTheLine() throws {
        let script = "function on_bar(ctx, bar)\n  if ctx.index == 7 then\n    local x = nil + 1\n  end\nend\n"
        #expect {
            try Backtester().run(LuaStrategy(source: script, fileName: "bad.lua"), on: walk(50, seed: 5))
        } throws: { error in
            let e = error as! LuaError
            return e.kind == .runtime && e.line == 3 && e.message.hasPrefix("bad.lua:3:")
        }
    }

    @Test(arguments: [
        ("function on_bar(ctx, bar) return 42 end", "on_bar returned a number"),
        ("function on_bar(ctx, bar) return 'moon' end", "on_bar returned \"moon\""),
        ("x = 1", "no on_bar(ctx, bar) function"),
        ("function on_init(ctx) end function on_bar(ctx, bar) local s = ta.sma(5) end", "declare indicators in on_init"),
        ("function on_init(ctx) x = ta.nope(5) end function on_bar() end", "unknown indicator"),
        ("function on_bar(ctx, bar) trade.buy(5) end", "fraction of equity"),
        ("function on_bar(ctx, bar) bar.close = 1 end", "bar is read-only"),
        ("function on_bar(", "bad.lua:1:"),
        ("function on_init() getmetatable(ta.sma(10)).__gc = function() while true do end end end function on_bar() end", "attempt to index a string"),
        ("function on_init() getmetatable(ta.sma(10)).__index({}, 0) end function on_bar() end", "attempt to"),
        ("function on_init() for i = 2, 400 do ta.sma(i) end end function on_bar() end", "more than 256"),
        ("setmetatable(_G, {__index = function(t, k) error('boom') end}) function on_bar() return undefined_name end", "boom"),
    ])
    func apiMisuseIsAClearError(script: String, expected: String) {
        do {
            _ = try Backtester().run(LuaStrategy(source: script, fileName: "bad.lua"), on: walk(20, seed: 6))
            Issue.record("expected an error containing \(expected)")
        } catch {
            #expect("\(error)".contains(expected), "\(error)")
        }
    }
}

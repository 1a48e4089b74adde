import Testing
import TradelabCore
@testable import TradelabLua

@Suite struct LifecycleTests {
    let breakout = """
    -- @param lookback 10 [2, 100]
    function on_init(ctx)
      high = ta.donchian(params.lookback)
    end
    function detect_opportunity(ctx, bar)
      if high.upper[1] ~= nil and bar.close > high.upper[1] then
        return {side = "long", reason = "breakout", sl_pct = 3}
      end
    end
    function filter_commitment(ctx, bar, signal)
      return bar.volume > 0
    end
    function manage_position(ctx, bar, position)
      if position.bars_held >= 5 then return "time stop" end
    end
    """

    @Test func stateMachineEntersHoldsAndExitsThroughTheThreeFunctions() throws {
        var session = try BacktestSession(strategy: LuaStrategy(source: breakout, fileName: "breakout.lua"),
                                          bars: walk(1_500, seed: 21), config: AccountConfig())
        session.advance(by: 1_500)
        #expect(session.failure == nil)
        let result = session.result()
        let strategy = session.strategy
        #expect(strategy.style == .lifecycle)
        #expect(result.closedTrades.count > 5)
        // Every closed trade was held exactly 5 bars after its fill (the time stop fires on the 6th
        // bar in position and fills at the next open) and carries the signal's stop-loss.
        for t in result.closedTrades where t.exitReason == .signal {
            #expect(t.barsHeld == 6, "\(t)")
        }
        #expect(result.trades.allSatisfy { abs($0.stopLoss! - $0.entryPrice * 0.97) < 1e-9 })

        let log = strategy.logicLog
        #expect(Set(log.map(\.state)) == ["Idle", "Analyzing", "InPosition"])
        let entry = try #require(log.first { $0.function == "detect_opportunity" && $0.result != "nil" })
        #expect(entry.result == "{reason=breakout, side=long, sl_pct=3}")
        #expect(entry.indicators["dc_upper_10"] != nil)
        #expect(log.contains { $0.function == "manage_position" && $0.result == "time stop" })
    }

    @Test func rejectedCommitmentDoesNotTrade() throws {
        let script = breakout.replacingOccurrences(of: "return bar.volume > 0", with: "return false")
        var session = try BacktestSession(strategy: LuaStrategy(source: script, fileName: "b.lua"), bars: walk(500, seed: 22), config: AccountConfig())
        session.advance(by: 500)
        #expect(session.result().trades.isEmpty)
        #expect(session.strategy.logicLog.contains { $0.function == "filter_commitment" && $0.result == "false" })
    }

    @Test(arguments: [
        ("function detect_opportunity() end function on_bar() end", "use one style"),
        ("function detect_opportunity() end function filter_commitment() end", "needs manage_position"),
    ])
    func mixedOrIncompleteStylesAreRejected(script: String, expected: String) {
        #expect {
            _ = try Backtester().run(LuaStrategy(source: script, fileName: "m.lua"), on: walk(10, seed: 1))
        } throws: { "\($0)".contains(expected) }
    }
}

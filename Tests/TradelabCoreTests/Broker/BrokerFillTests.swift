import Testing
@testable import TradelabCore

@Suite struct BrokerFillTests {
    let flat4 = bars([(10, 11, 9, 10), (12, 13, 11, 12), (14, 15, 13, 14), (16, 17, 15, 16)])

    func run(_ script: [Int: Action], on series: BarSeries, _ configure: (inout AccountConfig) -> Void = { _ in }) throws -> BacktestResult {
        var config = AccountConfig()
        configure(&config)
        return try Backtester(config: config).run(ScriptedStrategy(script: script), on: series)
    }

    @Test func marketOrderFillsAtNextBarsOpen() throws {
        let r = try run([0: .buy], on: flat4)
        let t = try #require(r.trades.first)
        #expect(t.entryIndex == 1 && t.entryPrice == 12)
        #expect(t.quantity == 10_000.0 / 12)
        #expect(r.orders.first?.signalIndex == 0)
        #expect(t.isOpen && t.exitPrice == 16)
    }

    @Test func fillAtCloseModeFillsAtTheDecisionBarsClose() throws {
        let r = try run([0: .buy, 2: .sell], on: flat4) { $0.fillMode = .close }
        let t = try #require(r.trades.first)
        #expect(t.entryIndex == 0 && t.entryPrice == 10)
        #expect(t.exitIndex == 2 && t.exitPrice == 14)
        #expect(r.equity.equity[0] == 10_000)
    }

    @Test func stopLossBeforeTakeProfitWhenBothInsideOneBar() throws {
        let series = bars([(100, 100, 100, 100), (100, 101, 99, 100), (100, 110, 90, 100), (100, 100, 100, 100)])
        let r = try run([0: Action(.buy, stopLoss: 95, takeProfit: 105)], on: series)
        let t = try #require(r.closedTrades.first)
        #expect(t.exitReason == .stopLoss && t.exitPrice == 95 && t.ambiguous)
        #expect(t.exitIndex == 2)
        #expect(t.mae <= -0.1 + 1e-12 && t.mfe >= 0.1 - 1e-12)
    }

    @Test func gapThroughStopLossFillsAtTheOpen() throws {
        let series = bars([(100, 100, 100, 100), (100, 101, 99, 100), (90, 92, 88, 91), (91, 91, 91, 91)])
        let r = try run([0: Action(.buy, stopLoss: 95)], on: series)
        let t = try #require(r.closedTrades.first)
        #expect(t.exitReason == .stopLoss && t.exitPrice == 90 && !t.ambiguous)
    }

    @Test func takeProfitFillsAtItsLevelWithoutSlippage() throws {
        let series = bars([(100, 100, 100, 100), (100, 101, 99, 100), (100, 106, 99, 104), (104, 104, 104, 104)])
        let r = try run([0: Action(.buy, takeProfit: 105)], on: series) { $0.slippageBps = 10 }
        let t = try #require(r.closedTrades.first)
        #expect(t.exitReason == .takeProfit && t.exitPrice == 105)
        #expect(t.entryPrice == 100 * 1.001)
    }

    @Test func stopLossOnShortTriggersOnTheHigh() throws {
        let series = bars([(100, 100, 100, 100), (100, 101, 99, 100), (100, 106, 99, 104), (104, 104, 104, 104)])
        let r = try run([0: Action(.sell, stopLoss: 105)], on: series) { $0.allowShort = true }
        let t = try #require(r.closedTrades.first)
        #expect(t.side == .short && t.exitReason == .stopLoss && t.exitPrice == 105)
        #expect(abs(t.pnl - -(10_000.0 / 100) * 5) < 1e-9)
    }

    @Test func stopEntryWaitsUntilTriggeredThenChecksExitsFromTheNextBar() throws {
        let series = bars([(100, 100, 100, 100), (100, 101, 99, 100), (100, 104, 94, 103), (103, 104, 102, 103)])
        // Buy stop at 102 triggers on bar 2 intrabar; the stop-loss at 95 is inside bar 2 too, but the
        // order of the moves inside the entry bar is unknown, so exits are checked from bar 3 on.
        let r = try run([0: Action(.buy, stopLoss: 95, stop: 102)], on: series)
        let t = try #require(r.trades.first)
        #expect(t.entryIndex == 2 && t.entryPrice == 102 && t.isOpen)
    }

    @Test func limitEntryGappingThroughFillsAtTheOpen() throws {
        let series = bars([(100, 100, 100, 100), (100, 101, 99, 100), (95, 96, 94, 95), (95, 95, 95, 95)])
        let r = try run([0: Action(.buy, limit: 97)], on: series)
        #expect(r.trades.first?.entryIndex == 2 && r.trades.first?.entryPrice == 95)
    }

    @Test func unaffordableOrderIsRejectedAndRecordedNeverResized() throws {
        let r = try run([0: Action(.buy, size: .quantity(10_000))], on: flat4)
        #expect(r.trades.isEmpty)
        let entry = try #require(r.orders.first)
        #expect(entry.status == .rejected && entry.note.contains("insufficient funds"))
        #expect(r.equity.cash.allSatisfy { $0 == 10_000 })
    }

    @Test func commissionAndFixedFeeAreChargedOnEntryAndExit() throws {
        let r = try run([0: Action(.buy, size: .quantity(100)), 1: .sell], on: flat4) {
            $0.commissionRate = 0.001
            $0.commissionFixed = 1
        }
        let t = try #require(r.closedTrades.first)
        let entryFee: Double = 1 + 100 * 12 * 0.001
        let exitFee: Double = 1 + 100 * 14 * 0.001
        let fees = entryFee + exitFee
        #expect(abs(t.fees - fees) < 1e-9)
        #expect(abs(t.pnl - (100 * 2 - fees)) < 1e-9)
        #expect(abs(r.finalEquity - (10_000 + 200 - fees)) < 1e-9)
    }

    @Test func wholeUnitsRoundDownAndLeaveCashUnspent() throws {
        let r = try run([0: .buy], on: flat4) { $0.fractional = false }
        #expect(r.trades.first?.quantity == 833)
        #expect(r.equity.cash[1] == 10_000 - 833 * 12)
    }

    @Test func longOnlySellClosesButNeverShorts() throws {
        let r = try run([0: .buy, 1: .sell, 2: .sell], on: flat4)
        #expect(r.trades.count == 1)
        #expect(r.closedTrades.first?.exitIndex == 2)
        #expect(r.equity.position.last == 0)
    }

    @Test func revertFlipsPositionOnLongShortAccount() throws {
        let r = try run([0: .buy, 1: .revert], on: flat4) { $0.allowShort = true }
        #expect(r.trades.map(\.side) == [.long, .short])
        #expect(r.closedTrades.first?.exitIndex == 2)
        #expect(r.equity.position.last! < 0)
    }

    @Test func maxOpenTradesAllowsAddingToAPosition() throws {
        let script: [Int: Action] = [0: Action(.buy, size: .quantity(1)), 1: Action(.buy, size: .quantity(1)), 2: .close]
        let one = try run(script, on: flat4)
        let two = try run(script, on: flat4) { $0.maxOpenTrades = 2 }
        #expect(one.closedTrades.count == 1)
        #expect(two.closedTrades.count == 2)
    }

    @Test func closeAtEndClosesOpenTradesWithAnExitFee() throws {
        let r = try run([0: .buy], on: flat4) {
            $0.closeAtEnd = true
            $0.commissionRate = 0.001
        }
        let t = try #require(r.trades.first)
        #expect(t.exitReason == .endOfData && t.exitIndex == 3 && t.exitPrice == 16)
        #expect(r.equity.position.last == 0)
    }

    @Test func equityHittingZeroLiquidatesAndStopsTrading() throws {
        let series = bars([(100, 100, 100, 100), (100, 100, 100, 100), (250, 260, 240, 250), (250, 250, 250, 250), (250, 250, 250, 250)])
        let r = try run([0: .sell, 3: .sell], on: series) { $0.allowShort = true }
        let t = try #require(r.closedTrades.first)
        #expect(t.exitReason == .liquidated && t.exitIndex == 2)
        #expect(r.trades.count == 1)
    }
}

@Suite struct BacktestPropertyTests {
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func equityEqualsCashPlusPositionAtEveryClose(seed: UInt64) throws {
        let series = randomWalk(500, seed: seed)
        var config = AccountConfig()
        config.allowShort = true
        config.commissionRate = 0.001
        config.slippageBps = 5
        config.maxOpenTrades = 3
        config.sizing = .fractionOfEquity(0.3)
        let r = try Backtester(config: config).run(RandomStrategy(seed: seed, stops: true), on: series)
        for i in 0..<series.count {
            let expected = r.equity.cash[i] + r.equity.position[i] * series.close[i]
            #expect(abs(r.equity.equity[i] - expected) <= 1e-9 * abs(expected))
        }
        // Trades account for every change of equity: initial + pnl of all trades = final.
        let total = r.trades.reduce(config.initialCash) { $0 + $1.pnl }
        #expect(abs(total - r.finalEquity) < 1e-6)
        #expect(r.trades.allSatisfy { $0.quantity > 0 && $0.exitIndex >= $0.entryIndex })
    }

    @Test(arguments: [7, 8] as [UInt64])
    func pausedAndResumedRunEqualsUninterruptedRun(seed: UInt64) throws {
        let series = randomWalk(800, seed: seed)
        var config = AccountConfig()
        config.allowShort = true
        let strategy = RandomStrategy(seed: seed, stops: true)
        let whole = try Backtester(config: config).run(strategy, on: series)
        var session = try BacktestSession(strategy: strategy, bars: series, config: config)
        var g = SplitMix64(seed: seed)
        while !session.isFinished { session.advance(by: Int(g.next() % 50)) }
        let sliced = session.result()
        #expect(sliced.trades == whole.trades)
        #expect(sliced.equity == whole.equity)
        #expect(sliced.orders == whole.orders)
    }

    @Test func changingTheFutureNeverChangesThePast() throws {
        let series = randomWalk(400, seed: 11)
        let cut = 200
        // Same first `cut + 1` bars, different future.
        let other = randomWalk(400, seed: 12)
        let mixed = try BarSeries(
            timestamps: series.timestamps,
            open: Array(series.open[...cut]) + other.open[(cut + 1)...].map { $0 * series.close[cut] / other.open[cut + 1] },
            high: Array(series.high[...cut]) + other.high[(cut + 1)...].map { $0 * series.close[cut] / other.open[cut + 1] },
            low: Array(series.low[...cut]) + other.low[(cut + 1)...].map { $0 * series.close[cut] / other.open[cut + 1] },
            close: Array(series.close[...cut]) + other.close[(cut + 1)...].map { $0 * series.close[cut] / other.open[cut + 1] },
            volume: series.volume)
        for strategy in [NativeStrategy.smaCross(SmaCross(fast: 5, slow: 12))] {
            let a = try Backtester().run(strategy, on: series)
            let b = try Backtester().run(strategy, on: mixed)
            #expect(Array(a.equity.equity[...cut]) == Array(b.equity.equity[...cut]))
            #expect(a.orders.filter { $0.index <= cut } == b.orders.filter { $0.index <= cut })
        }
    }
}

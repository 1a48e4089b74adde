@testable import TradelabCore

/// A strategy that plays a fixed script: action per bar index.
struct ScriptedStrategy: Strategy {
    var script: [Int: Action]
    var name: String { "scripted" }
    var warmup: Int { 0 }
    mutating func prepare(bars: BarSeries) throws {}
    func onBar(_ context: StrategyContext) -> Action { script[context.index] ?? .hold }
}

/// A strategy that draws a random action on each bar from a seeded generator.
struct RandomStrategy: Strategy {
    var seed: UInt64
    var name: String { "random" }
    var warmup: Int { 0 }
    var stops = false
    mutating func prepare(bars: BarSeries) throws {}
    func onBar(_ context: StrategyContext) -> Action {
        var g = SplitMix64(seed: seed &+ UInt64(context.index) &* 0x9E37_79B9_7F4A_7C15)
        let r = g.next() % 10
        let kinds: [Action.Kind] = [.buy, .sell, .revert, .close]
        guard r < 4 else { return .hold }
        var action = Action(kinds[Int(r)])
        if stops, action.kind == .buy {
            action.stopLoss = context.close * 0.99
            action.takeProfit = context.close * 1.01
        }
        return action
    }
}

/// Bars from (open, high, low, close) tuples, one minute apart, volume 1.
func bars(_ rows: [(Double, Double, Double, Double)]) -> BarSeries {
    try! BarSeries(timestamps: rows.indices.map { Int64($0) * 60_000 }, open: rows.map(\.0), high: rows.map(\.1),
                   low: rows.map(\.2), close: rows.map(\.3), volume: rows.map { _ in 1 })
}

/// A seeded random walk of `n` bars around 100.
func randomWalk(_ n: Int, seed: UInt64) -> BarSeries {
    var g = SplitMix64(seed: seed)
    var price = 100.0
    var rows: [(Double, Double, Double, Double)] = []
    for _ in 0..<n {
        let open = price
        let close = max(1, open * (1 + (g.nextUnit() - 0.5) * 0.04))
        let high = max(open, close) * (1 + g.nextUnit() * 0.01)
        let low = min(open, close) * (1 - g.nextUnit() * 0.01)
        rows.append((open, high, low, close))
        price = close
    }
    return bars(rows)
}

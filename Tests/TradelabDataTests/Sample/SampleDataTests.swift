import Foundation
import Testing
import TradelabCore
@testable import TradelabData

@Suite struct SampleDataTests {
    static let month: Int = 30

    @Test func curatedSymbolsAreTheAgreedEighteen() {
        let names = SampleData.symbols.map(\.name)
        #expect(names == ["BTCUSDT", "ETHUSDT", "BNBUSDT", "SOLUSDT", "XRPUSDT", "ADAUSDT", "DOGEUSDT", "AVAXUSDT", "DOTUSDT",
                          "MATICUSDT", "AAPL", "MSFT", "GOOGL", "AMZN", "TSLA", "EURUSD", "GBPUSD", "USDJPY"])
        #expect(SampleData.symbols.filter { $0.category == .crypto }.count == 10)
        #expect(SampleData.symbols.filter { $0.category == .stock }.count == 5)
        #expect(SampleData.symbols.filter { $0.category == .forex }.count == 3)
        #expect(SampleData.symbol(named: "btcusdt")?.name == "BTCUSDT")
        #expect(SampleData.symbol(named: "NOPE") == nil)
    }

    @Test func stableHashAndGeneratorMatchReferenceValues() {
        // FNV-1a 64 test vectors.
        #expect(fnv1a64("") == 0xCBF2_9CE4_8422_2325)
        #expect(fnv1a64("a") == 0xAF63_DC4C_8601_EC8C)
        #expect(fnv1a64("foobar") == 0x8594_4171_F739_67E8)
        // SplitMix64 seeding is deterministic: two generators from one seed agree, another seed differs.
        var a = Xoshiro256StarStar(seed: 1), b = Xoshiro256StarStar(seed: 1), c = Xoshiro256StarStar(seed: 2)
        let first = (0..<8).map { _ in a.next() }
        #expect(first == (0..<8).map { _ in b.next() })
        #expect(first != (0..<8).map { _ in c.next() })
    }

    @Test(arguments: SampleData.symbols)
    func sameSeedGivesIdenticalBarsAndAnotherSeedDiffers(symbol: SampleSymbol) {
        let a = SampleData.generate(symbol: symbol, days: 3, seed: 42)
        let b = SampleData.generate(symbol: symbol, days: 3, seed: 42)
        let c = SampleData.generate(symbol: symbol, days: 3, seed: 43)
        #expect(a == b)
        #expect(a.close != c.close)
        #expect(!a.isEmpty)
    }

    @Test func longerWindowExtendsShorterOne() {
        let btc = SampleData.symbol(named: "BTCUSDT")!
        let short = SampleData.generate(symbol: btc, days: 2, seed: 9)
        let long = SampleData.generate(symbol: btc, days: 5, seed: 9)
        #expect(long.slice(0..<short.count) == short)
    }

    @Test func firstBarsArePinned() {
        // Golden values: catch accidental changes of the model or of seed derivation (for example a
        // switch to Swift's per-process Hasher). Computed on Linux x86_64 with glibc's libm.
        let btc = SampleData.generate(symbol: SampleData.symbol(named: "BTCUSDT")!, days: 1, seed: 0)
        #expect(btc.timestamps.first == SampleData.defaultStart)
        #expect(Array(btc.close.prefix(3)) == [42009.71, 42020.21, 42022.59])
        let aapl = SampleData.generate(symbol: SampleData.symbol(named: "AAPL")!, days: 1, seed: 0)
        #expect(aapl.timestamps.first == utc(2024, 1, 1, 14, 30))
        #expect(Array(aapl.close.prefix(3)) == [184.87, 184.6, 184.63])
    }

    @Test(arguments: SampleData.symbols)
    func barsAreValidTickAlignedAndStartAtTheBasePrice(symbol: SampleSymbol) throws {
        let bars = SampleData.generate(symbol: symbol, days: 7, seed: 1)
        // Revalidate through the public initializer.
        _ = try BarSeries(timestamps: bars.timestamps, open: bars.open, high: bars.high, low: bars.low, close: bars.close, volume: bars.volume)
        let scale = pow(10, Double(symbol.priceDecimals))
        let volumeScale = pow(10, Double(symbol.volumeDecimals))
        func offGrid(_ x: Double, _ scale: Double) -> Bool { abs(x * scale - (x * scale).rounded()) > 1e-6 }
        var offTick: [Double] = [], gaps: [Int] = []
        for i in 0..<bars.count {
            for price in [bars.open[i], bars.high[i], bars.low[i], bars.close[i]] where price <= 0 || offGrid(price, scale) {
                offTick.append(price)
            }
            if offGrid(bars.volume[i], volumeScale) { offTick.append(bars.volume[i]) }
            // Within a session the open is the previous close.
            if i > 0, bars.timestamps[i] - bars.timestamps[i - 1] == 60_000, bars.open[i] != bars.close[i - 1] { gaps.append(i) }
        }
        #expect(offTick.isEmpty, "\(symbol.name): values off the tick/lot grid: \(offTick.prefix(5))")
        #expect(gaps.isEmpty, "\(symbol.name): open differs from the previous close at rows \(gaps.prefix(5))")
        #expect(abs(bars.open[0] - symbol.basePrice) <= symbol.tickSize)
        #expect(bars.timestamps.allSatisfy { $0 % 60_000 == 0 })
        let meanVolume = bars.volume.reduce(0, +) / Double(bars.count)
        #expect(meanVolume > symbol.typicalVolume * 0.5 && meanVolume < symbol.typicalVolume * 2, "\(symbol.name) mean volume \(meanVolume)")
    }

    @Test func sessionsFollowTheCategory() {
        let weekday: (Int64) -> Int = { t in Int(((t / 86_400_000) + 3) % 7) }  // 0 = Monday
        let minuteOfDay: (Int64) -> Int64 = { t in t % 86_400_000 / 60_000 }

        let aapl = SampleData.generate(symbol: SampleData.symbol(named: "AAPL")!, days: 14, seed: 2)
        #expect(aapl.count == 10 * 390)
        let offSession = aapl.timestamps.filter { weekday($0) >= 5 || minuteOfDay($0) < 870 || minuteOfDay($0) >= 1260 }
        #expect(offSession.isEmpty, "stock bars outside Mon-Fri 14:30-21:00 UTC: \(offSession.prefix(3).map(TimeParser.iso8601))")

        let eur = SampleData.generate(symbol: SampleData.symbol(named: "EURUSD")!, days: 14, seed: 2)
        #expect(eur.count == 2 * 5 * 1440)
        let closedForex = eur.timestamps.filter { t in
            let d = weekday(t), m = minuteOfDay(t)
            return !(d <= 3 || (d == 4 && m < 1320) || (d == 6 && m >= 1320))
        }
        #expect(closedForex.isEmpty, "forex bars outside Sun 22:00 - Fri 22:00 UTC: \(closedForex.prefix(3).map(TimeParser.iso8601))")

        let btc = SampleData.generate(symbol: SampleData.symbol(named: "BTCUSDT")!, days: 14, seed: 2)
        #expect(btc.count == 14 * 1440)
        #expect(zip(btc.timestamps.dropFirst(), btc.timestamps).allSatisfy { $0 - $1 == 60_000 })
    }

    @Test func windowsAreHalfOpenAndRoundedToMinutes() {
        let btc = SampleData.symbol(named: "BTCUSDT")!
        let bars = SampleData.generate(symbol: btc, from: SampleData.defaultStart + 1, to: SampleData.defaultStart + 180_000)
        #expect(bars.timestamps == [SampleData.defaultStart + 60_000, SampleData.defaultStart + 120_000])
        let saturday = utc(2024, 1, 6, 12)
        #expect(SampleData.generate(symbol: SampleData.symbol(named: "MSFT")!, from: saturday, to: saturday + 3_600_000).isEmpty)
    }

    @Test(arguments: SampleData.symbols)
    func annualisedVolatilityMatchesTheSpecification(symbol: SampleSymbol) {
        let bars = SampleData.generate(symbol: symbol, days: Self.month, seed: 2024)
        var sum = 0.0, n = 0
        for i in 1..<bars.count where bars.timestamps[i] - bars.timestamps[i - 1] == 60_000 {
            let r = log(bars.close[i] / bars.close[i - 1])
            sum += r * r
            n += 1
        }
        let annualised = (sum / Double(n) * symbol.category.minutesPerYear).squareRoot()
        let ratio = annualised / symbol.annualVolatility
        #expect(ratio > 0.75 && ratio < 1.25, "\(symbol.name): realised \(annualised) vs \(symbol.annualVolatility)")
    }

    @Test func volumeFollowsTheStockSessionShape() {
        let bars = SampleData.generate(symbol: SampleData.symbol(named: "MSFT")!, days: 28, seed: 3)
        var firstHalfHour = 0.0, midday = 0.0
        for i in 0..<bars.count {
            let m = bars.timestamps[i] % 86_400_000 / 60_000
            if m < 900 { firstHalfHour += bars.volume[i] } else if m >= 1050 && m < 1080 { midday += bars.volume[i] }
        }
        #expect(firstHalfHour > 1.5 * midday)
    }

    @Test func writeAllWritesOneLoadableFilePerSymbol() throws {
        try withTemporaryDirectory { dir in
            let symbols = Array(SampleData.symbols.filter { ["BTCUSDT", "AAPL", "EURUSD"].contains($0.name) })
            let paths = try SampleData.writeAll(to: dir + "/data", days: 2, seed: 5, symbols: symbols)
            #expect(paths.map { URL(fileURLWithPath: $0).lastPathComponent } == ["BTCUSDT_1m.csv", "AAPL_1m.csv", "EURUSD_1m.csv"])
            for (symbol, path) in zip(symbols, paths) {
                let loaded = try CSVLoader.load(path: path)
                #expect(loaded.bars == SampleData.generate(symbol: symbol, days: 2, seed: 5))
                #expect(loaded.timeframe == .m1)
            }
        }
    }
}

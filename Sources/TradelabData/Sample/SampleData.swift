#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TradelabCore

/// Deterministic **synthetic** one-minute bars for a fixed set of symbols, for demos, tests and
/// the `make run` sample dataset. They imitate the look of real markets; they are not market data.
///
/// The model, per symbol (see `docs/data.md`):
/// - log price follows a geometric Brownian motion with the symbol's annual drift and volatility,
///   annualised over the session's trading minutes (``SampleCategory/minutesPerYear``);
/// - the volatility is modulated by an intraday seasonality (U-shaped for stocks, a daily wave
///   for crypto and forex) and a slowly mean-reverting random level (volatility clustering),
///   both normalised so the average variance matches the specification;
/// - open = previous close, except after a session break (stock nights and weekends, the forex
///   weekend) where a small gap is drawn; high and low are drawn from the exact distribution of
///   the maximum and minimum of a Brownian bridge between open and close, so they always
///   enclose both;
/// - volume is lognormal around the symbol's typical volume, times the intraday seasonality,
///   the volatility level and the size of the bar's move;
/// - prices are rounded to the symbol's tick, volumes to its lot.
///
/// The same symbol, window and seed give bit-identical bars on every run: the generator is
/// xoshiro256** seeded from FNV-1a of the symbol name, the seed and the start time. A longer
/// window with the same start extends a shorter one (same first bars).
///
/// ```swift
/// let btc = SampleData.symbol(named: "BTCUSDT")!
/// let bars = SampleData.generate(symbol: btc, days: 30, seed: 7)
/// ```
public enum SampleData {
    /// The curated symbols: ten crypto pairs, five US stocks, three forex pairs.
    public static let symbols: [SampleSymbol] = [
        SampleSymbol(name: "BTCUSDT", category: .crypto, basePrice: 42_000, annualVolatility: 0.55, annualDrift: 0.30, typicalVolume: 25, priceDecimals: 2, volumeDecimals: 5),
        SampleSymbol(name: "ETHUSDT", category: .crypto, basePrice: 2_300, annualVolatility: 0.65, annualDrift: 0.25, typicalVolume: 300, priceDecimals: 2, volumeDecimals: 4),
        SampleSymbol(name: "BNBUSDT", category: .crypto, basePrice: 310, annualVolatility: 0.60, annualDrift: 0.20, typicalVolume: 150, priceDecimals: 2, volumeDecimals: 3),
        SampleSymbol(name: "SOLUSDT", category: .crypto, basePrice: 100, annualVolatility: 0.90, annualDrift: 0.30, typicalVolume: 2_500, priceDecimals: 2, volumeDecimals: 2),
        SampleSymbol(name: "XRPUSDT", category: .crypto, basePrice: 0.6, annualVolatility: 0.75, annualDrift: 0.10, typicalVolume: 300_000, priceDecimals: 4, volumeDecimals: 0),
        SampleSymbol(name: "ADAUSDT", category: .crypto, basePrice: 0.55, annualVolatility: 0.80, annualDrift: 0.05, typicalVolume: 400_000, priceDecimals: 4, volumeDecimals: 0),
        SampleSymbol(name: "DOGEUSDT", category: .crypto, basePrice: 0.08, annualVolatility: 0.95, annualDrift: 0.10, typicalVolume: 2_000_000, priceDecimals: 5, volumeDecimals: 0),
        SampleSymbol(name: "AVAXUSDT", category: .crypto, basePrice: 35, annualVolatility: 0.95, annualDrift: 0.15, typicalVolume: 5_000, priceDecimals: 2, volumeDecimals: 2),
        SampleSymbol(name: "DOTUSDT", category: .crypto, basePrice: 7.5, annualVolatility: 0.80, annualDrift: 0.0, typicalVolume: 15_000, priceDecimals: 3, volumeDecimals: 2),
        SampleSymbol(name: "MATICUSDT", category: .crypto, basePrice: 0.85, annualVolatility: 0.90, annualDrift: -0.05, typicalVolume: 300_000, priceDecimals: 4, volumeDecimals: 0),
        SampleSymbol(name: "AAPL", category: .stock, basePrice: 185, annualVolatility: 0.25, annualDrift: 0.10, typicalVolume: 120_000, priceDecimals: 2, volumeDecimals: 0),
        SampleSymbol(name: "MSFT", category: .stock, basePrice: 370, annualVolatility: 0.25, annualDrift: 0.12, typicalVolume: 60_000, priceDecimals: 2, volumeDecimals: 0),
        SampleSymbol(name: "GOOGL", category: .stock, basePrice: 140, annualVolatility: 0.30, annualDrift: 0.10, typicalVolume: 65_000, priceDecimals: 2, volumeDecimals: 0),
        SampleSymbol(name: "AMZN", category: .stock, basePrice: 150, annualVolatility: 0.32, annualDrift: 0.12, typicalVolume: 110_000, priceDecimals: 2, volumeDecimals: 0),
        SampleSymbol(name: "TSLA", category: .stock, basePrice: 240, annualVolatility: 0.60, annualDrift: 0.05, typicalVolume: 250_000, priceDecimals: 2, volumeDecimals: 0),
        SampleSymbol(name: "EURUSD", category: .forex, basePrice: 1.10, annualVolatility: 0.07, annualDrift: 0.0, typicalVolume: 120, priceDecimals: 5, volumeDecimals: 0),
        SampleSymbol(name: "GBPUSD", category: .forex, basePrice: 1.27, annualVolatility: 0.08, annualDrift: 0.0, typicalVolume: 100, priceDecimals: 5, volumeDecimals: 0),
        SampleSymbol(name: "USDJPY", category: .forex, basePrice: 143, annualVolatility: 0.09, annualDrift: 0.0, typicalVolume: 110, priceDecimals: 3, volumeDecimals: 0),
    ]

    /// 2024-01-01T00:00:00Z, a Monday: the default start of generated series.
    public static let defaultStart: Int64 = 1_704_067_200_000

    /// The curated symbol called `name` (case-insensitive), if any.
    public static func symbol(named name: String) -> SampleSymbol? {
        let upper = name.uppercased()
        return symbols.first { $0.name == upper }
    }

    /// Generates the bars of `symbol` for the in-session minutes of `[from, to)`.
    ///
    /// - Parameters:
    ///   - symbol: The symbol to imitate.
    ///   - from: Start, UTC milliseconds; rounded up to a whole minute. The series starts at
    ///     ``SampleSymbol/basePrice``.
    ///   - to: End (exclusive), UTC milliseconds.
    ///   - seed: Varies the path; the same arguments always give the same bars.
    /// - Returns: One-minute bars that pass ``TradelabCore/BarSeries`` validation (empty when the
    ///   window holds no session minute).
    /// - Complexity: O(minutes in the window).
    public static func generate(symbol: SampleSymbol, from: Int64, to: Int64, seed: UInt64 = 0) -> BarSeries {
        var generator = BarGenerator(symbol: symbol, start: from, seed: seed)
        var time = (from + 59_999) / 60_000 * 60_000
        let estimate = max(0, Int((to - time) / 60_000)) * symbol.category.minutesPerWeek / (7 * 1440) + 1
        var ts: [Int64] = [], o: [Double] = [], h: [Double] = [], l: [Double] = [], c: [Double] = [], v: [Double] = []
        ts.reserveCapacity(estimate)
        o.reserveCapacity(estimate); h.reserveCapacity(estimate); l.reserveCapacity(estimate)
        c.reserveCapacity(estimate); v.reserveCapacity(estimate)
        var previous: Int64 = .min
        while time < to {
            if symbol.category.isOpen(at: time) {
                let bar = generator.next(minuteOfDay: Int(((time % 86_400_000) + 86_400_000) % 86_400_000 / 60_000),
                                         afterBreak: previous != .min && time - previous != 60_000)
                ts.append(time)
                o.append(bar.open); h.append(bar.high); l.append(bar.low); c.append(bar.close); v.append(bar.volume)
                previous = time
            }
            time += 60_000
        }
        do {
            return try BarSeries(timestamps: ts, open: o, high: h, low: l, close: c, volume: v)
        } catch {
            preconditionFailure("SampleData generated invalid bars for \(symbol.name): \(error)")
        }
    }

    /// Generates `days` days of bars of `symbol` from `start`.
    ///
    /// - Parameters:
    ///   - symbol: The symbol to imitate.
    ///   - days: Number of calendar days (stocks and forex get only their session minutes).
    ///   - start: Start, UTC milliseconds; defaults to 2024-01-01T00:00Z.
    ///   - seed: Varies the path.
    /// - Returns: The bars, as ``generate(symbol:from:to:seed:)``.
    public static func generate(symbol: SampleSymbol, days: Int, start: Int64 = defaultStart, seed: UInt64 = 0) -> BarSeries {
        precondition(days >= 0, "SampleData.generate: days must be >= 0, was \(days)")
        return generate(symbol: symbol, from: start, to: start + Int64(days) * 86_400_000, seed: seed)
    }
}

/// The per-symbol random walk behind ``SampleData``.
struct BarGenerator {
    struct Bar {
        var open, high, low, close, volume: Double
    }

    let symbol: SampleSymbol
    var rng: Xoshiro256StarStar
    /// Unrounded log price of the last close.
    var logPrice: Double
    /// Volatility-clustering state: an AR(1) in log-volatility.
    var level: Double
    let sigma: Double, drift: Double
    let priceScale: Double, volumeScale: Double
    /// Per minute of the UTC day: volatility multiplier and volume multiplier.
    let volatilitySeason: [Double], volumeSeason: [Double]

    /// Persistence of the volatility level per bar (half-life ~140 bars) and its stationary spread.
    static let levelPersistence = 0.995
    static let levelSpread = 0.2
    /// Spread of the lognormal volume noise.
    static let volumeSpread = 0.5
    /// A session-break gap has the standard deviation of this many bars' moves.
    static let gapBars = 9.0

    init(symbol: SampleSymbol, start: Int64, seed: UInt64) {
        self.symbol = symbol
        // Stable across runs: FNV-1a of the name (not Hasher), mixed with the seed and start.
        let mixed = fnv1a64(symbol.name) ^ (seed &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(bitPattern: start) &* 0xD1B5_4A32_D192_ED03)
        rng = Xoshiro256StarStar(seed: mixed)
        logPrice = log(symbol.basePrice)
        level = Self.levelSpread * rng.nextGaussian()
        let minutesPerYear = symbol.category.minutesPerYear
        sigma = symbol.annualVolatility / minutesPerYear.squareRoot()
        drift = symbol.annualDrift / minutesPerYear
        priceScale = SampleSymbol.powerOfTen(symbol.priceDecimals)
        volumeScale = SampleSymbol.powerOfTen(symbol.volumeDecimals)
        (volatilitySeason, volumeSeason) = Self.seasonality(symbol.category)
    }

    /// Intraday shapes, normalised over the session's minutes: mean volume factor 1 and mean
    /// squared volatility factor 1 (so the specified annual volatility holds on average).
    static func seasonality(_ category: SampleCategory) -> ([Double], [Double]) {
        var raw = [Double](repeating: 0, count: 1440)
        var open = [Bool](repeating: false, count: 1440)
        for minute in 0..<1440 {
            switch category {
            case .crypto:
                // Busiest around 15:00 UTC (Europe and the US awake), quietest around 03:00.
                raw[minute] = 1 + 0.3 * cos(2 * Double.pi * Double(minute - 900) / 1440)
                open[minute] = true
            case .forex:
                // London/New York overlap busiest, late Asia quietest.
                raw[minute] = 1 + 0.5 * cos(2 * Double.pi * Double(minute - 840) / 1440)
                open[minute] = true
            case .stock:
                // U shape: heavy open, quiet midday, busy close.
                let k = Double(minute - 870)
                if minute >= 870 && minute < 1260 {
                    raw[minute] = 0.6 + 1.6 * exp(-k / 25) + 1.0 * exp(-(389 - k) / 20)
                    open[minute] = true
                }
            }
        }
        let sessionMinutes = open.filter { $0 }.count
        var total = 0.0
        for minute in 0..<1440 where open[minute] { total += raw[minute] }
        let mean = total / Double(sessionMinutes)
        let volume = raw.map { $0 / mean }
        let volatility = volume.map { $0.squareRoot() }  // mean of squares = mean volume factor = 1
        return (volatility, volume)
    }

    /// Draws the next bar.
    /// - Parameters:
    ///   - minuteOfDay: The bar's minute of the UTC day (0...1439).
    ///   - afterBreak: True when the previous bar is not the previous minute (session break).
    mutating func next(minuteOfDay: Int, afterBreak: Bool) -> Bar {
        let spread = Self.levelSpread
        let persistence = Self.levelPersistence
        level = persistence * level + spread * (1 - persistence * persistence).squareRoot() * rng.nextGaussian()
        // E[exp(2 (level - spread^2))] = 1: the clustering leaves the average variance alone.
        let regime = exp(level - spread * spread)
        let s = sigma * volatilitySeason[minuteOfDay] * regime

        var logOpen = logPrice
        if afterBreak {
            logOpen += sigma * Self.gapBars.squareRoot() * rng.nextGaussian()
        }
        let z = rng.nextGaussian()
        let move = (drift - 0.5 * s * s) + s * z
        let logClose = logOpen + move
        // Max and min of a Brownian bridge from 0 to `move` with variance s^2:
        // P(max > m) = exp(-2 m (m - move) / s^2)  =>  max = (move + sqrt(move^2 - 2 s^2 ln U)) / 2.
        let up = (move * move - 2 * s * s * log(rng.nextUnitOpen())).squareRoot()
        let down = (move * move - 2 * s * s * log(rng.nextUnitOpen())).squareRoot()
        let logHigh = logOpen + 0.5 * (move + up)
        let logLow = logOpen + 0.5 * (move - down)
        logPrice = logClose

        let openTicks = max(1, (exp(logOpen) * priceScale).rounded())
        let closeTicks = max(1, (exp(logClose) * priceScale).rounded())
        let highTicks = max((exp(logHigh) * priceScale).rounded(), openTicks, closeTicks)
        let lowTicks = max(1, min((exp(logLow) * priceScale).rounded(), openTicks, closeTicks))

        // Volume: typical x seasonality x volatility regime x move size x lognormal noise, each of mean 1.
        let moveFactor = 0.6 + 0.4 * abs(z) / (2 / Double.pi).squareRoot()
        let noiseSpread = Self.volumeSpread
        let noise = exp(noiseSpread * rng.nextGaussian() - 0.5 * noiseSpread * noiseSpread)
        let regimeVolume = exp(level - 0.5 * spread * spread)
        let volume = symbol.typicalVolume * volumeSeason[minuteOfDay] * regimeVolume * moveFactor * noise * (afterBreak ? 2 : 1)
        let volumeUnits = (volume * volumeScale).rounded()

        return Bar(open: openTicks / priceScale, high: highTicks / priceScale, low: lowTicks / priceScale,
                   close: closeTicks / priceScale, volume: volumeUnits / volumeScale)
    }
}

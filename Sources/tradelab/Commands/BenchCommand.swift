import ArgumentParser
import Foundation
import TradelabCore
import TradelabData
import TradelabLua

/// `tradelab bench`: throughput of the engine on a fixed workload.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure backtest and data-loading throughput (build with -c release).",
        discussion: """
        Workload: SMA(10)/SMA(30) crossover on 1,000,000 synthetic one-minute bars, indicators
        included, best of several runs; peak memory above the bar columns; CSV load of the same bars.
        """
    )

    @Option(name: .long, help: ArgumentHelp("Bars in the workload.", valueName: "n"))
    var bars = 1_000_000

    @Option(name: .long, help: ArgumentHelp("Repetitions (the best is reported).", valueName: "n"))
    var repeats = 7

    @Option(name: .customLong("data-out"), help: ArgumentHelp("Keep the workload CSV here (for peer benchmarks).", valueName: "file"))
    var dataOut: String?

    @Option(name: .long, help: ArgumentHelp("Strategy to time: sma-cross (10/30) or buy-and-hold.", valueName: "name"))
    var strategy = "sma-cross"

    @Option(name: .long, help: ArgumentHelp("Only time loading this data file (best of 7), e.g. a Parquet file written by pyarrow.", valueName: "file"))
    var read: String?

    @Flag(name: .long, help: "Print the figures as JSON.")
    var json = false

    func run() throws {
        if let read {
            var best = Double.infinity
            var rows = 0
            for _ in 0..<7 {
                let start = DispatchTime.now().uptimeNanoseconds
                rows = try MarketDataFile.load(path: read).bars.count
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            print(json ? "{\"read_seconds\": \(best), \"rows\": \(rows)}" : String(format: "loaded %d rows from %@ in %.4f s (best of 7)", rows, read, best))
            return
        }
        guard bars >= 100 else { throw ValidationError("--bars must be at least 100") }
        let btc = SampleData.symbol(named: "BTCUSDT")!   // 24/7: one bar per minute
        let series = SampleData.generate(symbol: btc, from: SampleData.defaultStart,
                                         to: SampleData.defaultStart + Int64(bars) * 60_000, seed: 7)
        let strategy = try NativeStrategy(name: self.strategy, parameters: self.strategy == "sma-cross" ? ["fast": 10, "slow": 30] : [:])
        var config = AccountConfig()
        config.commissionRate = 0.001
        let backtester = Backtester(config: config)

        // Peak memory of one run, above what is resident before it (the bars).
        let baseline = MemoryProbe.resetPeak()
        var trades = try backtester.run(strategy, on: series).trades.count
        let peakExtra = MemoryProbe.peak().map { peak in baseline.map { peak - $0 } } ?? nil

        var best = Double.infinity
        for _ in 0..<max(1, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            let result = try backtester.run(strategy, on: series)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            trades = result.trades.count
        }

        // Indicators alone.
        var smaBest = Double.infinity
        for _ in 0..<max(1, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            let values = SMA.compute(series.close, period: 30)
            smaBest = min(smaBest, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            precondition(values.count == series.count)
        }

        // The same crossover as a Lua script, end to end (sandbox, script, indicators, bar loop).
        let script = """
        -- @param fast 10
        -- @param slow 30
        function on_init(ctx)
          fast = ta.sma(params.fast)
          slow = ta.sma(params.slow)
        end
        function on_bar(ctx, bar)
          if ta.crossover(fast, slow) then return "buy" end
          if ta.crossunder(fast, slow) then return "sell" end
        end
        """
        let lua = try LuaStrategy(source: script, fileName: "bench.lua")
        var luaBest = Double.infinity
        var luaTrades = 0
        for _ in 0..<max(1, min(repeats, 3)) {
            let start = DispatchTime.now().uptimeNanoseconds
            let result = try backtester.run(lua, on: series)
            luaBest = min(luaBest, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            luaTrades = result.trades.count
        }
        precondition(luaTrades == trades || self.strategy != "sma-cross", "Lua and native runs disagree")

        // A sandboxed state with the strategy loaded and initialized (a few bars, so indicators cost nothing).
        let tiny = series.slice(0..<100)
        let creations = 2_000
        let createStart = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<creations {
            var copy = lua
            try copy.prepare(bars: tiny)
        }
        let createSeconds = Double(DispatchTime.now().uptimeNanoseconds - createStart) / 1e9 / Double(creations)

        // CSV load of the same bars.
        let path = dataOut ?? NSTemporaryDirectory() + "tradelab-bench-\(getpid()).csv"
        try CSVWriter(timeStyle: .epochMilliseconds).write(series, to: path)
        defer { if dataOut == nil { try? FileManager.default.removeItem(atPath: path) } }
        var loadBest = Double.infinity
        for _ in 0..<3 {
            let start = DispatchTime.now().uptimeNanoseconds
            let loaded = try CSVLoader.load(path: path)
            loadBest = min(loadBest, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            precondition(loaded.bars.count == series.count)
        }

        let figures: [String: Double] = [
            "bars": Double(bars),
            "backtest_seconds": best,
            "backtest_bars_per_second": Double(bars) / best,
            "sma_seconds": smaBest,
            "csv_load_seconds": loadBest,
            "column_bytes": Double(series.columnBytes),
            "peak_extra_bytes": peakExtra.map(Double.init) ?? -1,
            "trades": Double(trades),
            "lua_backtest_seconds": luaBest,
            "lua_bars_per_second": Double(bars) / luaBest,
            "lua_state_create_seconds": createSeconds,
        ]
        if json {
            let data = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let mb = { (b: Double) in String(format: "%.1f MB", b / 1_048_576) }
        print(Report.table(["Tradelab benchmark", "Result"], [
            ["workload", "SMA(10/30) crossover, \(Report.grouped(bars)) 1m bars, \(trades) trades, best of \(repeats)"],
            ["backtest (indicators included)", String(format: "%.2f ms  (%.1fM bars/s)", best * 1000, Double(bars) / best / 1e6)],
            ["SMA(30) batch", String(format: "%.2f ms  (%.0fM values/s)", smaBest * 1000, Double(bars) / smaBest / 1e6)],
            ["Lua script, same crossover, end to end", String(format: "%.1f ms  (%.2fM bars/s)", luaBest * 1000, Double(bars) / luaBest / 1e6)],
            ["Lua sandbox + script + on_init", String(format: "%.1f µs per state", createSeconds * 1e6)],
            ["peak memory above the bars", peakExtra.map { mb(Double($0)) + " (bar columns: \(mb(Double(series.columnBytes))), ratio \(String(format: "%.2f", Double($0) / Double(series.columnBytes))))" } ?? "n/a (no /proc/self/clear_refs)"],
            ["CSV load, \(Report.grouped(bars)) rows", String(format: "%.3f s", loadBest)],
        ]))
    }
}

/// Peak resident memory from Linux's /proc: resettable high-water mark (VmHWM).
enum MemoryProbe {
    /// Resets the peak to the current resident size and returns that size in bytes.
    static func resetPeak() -> Int? {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return nil }
        handle.write(Data("5".utf8))
        try? handle.close()
        return status("VmRSS")
    }

    /// The peak resident size in bytes since the last reset.
    static func peak() -> Int? { status("VmHWM") }

    private static func status(_ key: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            let digits = line.split(separator: " ").compactMap { Int($0) }
            return digits.first.map { $0 * 1024 }
        }
        return nil
    }
}

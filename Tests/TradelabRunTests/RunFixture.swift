import Foundation
import TradelabCore
import TradelabData
import TradelabRun

/// Sample bars written to a temporary CSV file, and jobs over them.
struct RunFixture {
    let directory: String
    let file: String
    let bars: BarSeries

    /// `days` of one-minute BTCUSDT sample bars (resampled to `timeframe` by the jobs).
    init(days: Int = 3) throws {
        directory = NSTemporaryDirectory() + "tradelab-run-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        bars = SampleData.generate(symbol: SampleData.symbol(named: "BTCUSDT")!, days: days, seed: 11)
        file = directory + "/BTCUSDT_1m.csv"
        try CSVWriter().write(bars, to: file)
    }

    /// A job on the fixture's bars.
    func job(_ strategy: StrategyReference = .builtin("sma-cross"), parameters: [String: Double] = ["fast": 5, "slow": 20],
             timeframe: String? = nil, randomized: RandomizedWindows? = nil, baseline: BaselineReference? = nil) -> RunJob {
        var account = AccountConfig()
        account.commissionRate = 0.001
        return RunJob(strategy: strategy, parameters: parameters, data: BarQuery(file: file, timeframe: timeframe, directory: directory),
                      account: account, randomized: randomized, baseline: baseline)
    }

    /// The crossover as a Lua script.
    static let luaCross = RunJobScript(name: "cross.lua", code: """
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
        """)

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

/// A script for ``StrategyReference/lua(name:code:)``.
struct RunJobScript {
    let name: String
    let code: String
    var reference: StrategyReference { .lua(name: name, code: code) }
}

/// Records what a run reports.
final class RecordingObserver: RunObserver, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var started: (bars: Int, runs: Int)?
    private(set) var progress: [Int] = []
    private(set) var states: [LiveState] = []
    private(set) var pauses = 0, resumes = 0
    var onProgress: ((Int) -> Void)?
    let wantsLiveStates: Bool

    init(liveStates: Bool = true) { wantsLiveStates = liveStates }

    func runStarted(totalBars: Int, runs: Int) { lock.withLock { started = (totalBars, runs) } }

    func progressed(done: Int, total: Int, state: () -> LiveState?) {
        let built = state()
        lock.withLock {
            progress.append(done)
            if let built { states.append(built) }
        }
        onProgress?(done)
    }

    func paused(state: LiveState?) { lock.withLock { pauses += 1 } }
    func resumed() { lock.withLock { resumes += 1 } }
}

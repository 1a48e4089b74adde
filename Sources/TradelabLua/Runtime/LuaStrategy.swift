import CLua
#if canImport(Glibc)
import Glibc
#endif
import CLuaShim
import TradelabCore

/// A strategy written in Lua, run in a sandbox (see `docs/lua-api.md`).
///
/// The value holds the script and its resolved parameters; every run (``prepare(bars:)``) gets a
/// fresh sandboxed state, so copies for randomized runs never share Lua state.
///
/// ```swift
/// let strategy = try LuaStrategy(source: text, fileName: "sma_cross.lua", parameters: ["fast": 12])
/// let result = try Backtester().run(strategy, on: bars)
/// ```
public struct LuaStrategy: Strategy {
    /// The script text.
    public let source: String
    /// The script's file name, used in messages ("sma_cross.lua:12: ...").
    public let fileName: String
    /// The header metadata.
    public let metadata: StrategyMetadata
    /// Parameter values for the run: declared defaults with the overrides applied.
    public let parameters: [String: Double]
    /// Sandbox limits of each run.
    public var limits: LuaLimits
    /// `ctx.symbol`.
    public var symbol: String
    /// `ctx.timeframe`.
    public var timeframe: String
    /// Seed of `math.random`.
    public var seed: UInt64
    /// Where the declared indicators come from when shared by several runs over the same bars
    /// (an optimizer's trials); nil: each run computes its own. The values are the same.
    public var sharedIndicators: IndicatorCache?
    /// Cancels the runs of this strategy (and of others sharing it) from another thread, also
    /// before their sandbox exists.
    public var cancellation: LuaCancellation?
    var runtime: LuaStrategyRuntime?

    /// Reads the header and resolves the parameters (the script itself runs at ``prepare(bars:)``).
    /// - Throws: ``ParameterError`` for an undeclared or out-of-range parameter, ``LuaError`` for a
    ///   malformed header.
    public init(source: String, fileName: String, parameters overrides: [String: Double] = [:], limits: LuaLimits = LuaLimits(),
                symbol: String = "", timeframe: String = "", seed: UInt64 = 0) throws {
        let (metadata, diagnostics) = StrategyMetadata.parse(source)
        if let error = diagnostics.first(where: { $0.severity == .error }) {
            throw LuaError(.api, "\(fileName):\(error.line): \(error.message)", chunk: fileName)
        }
        self.source = source
        self.fileName = fileName
        self.metadata = metadata
        parameters = try metadata.resolveParameters(overrides)
        self.limits = limits
        self.symbol = symbol
        self.timeframe = timeframe
        self.seed = seed
    }

    /// "sma_cross.lua(fast=10, slow=20)".
    public var name: String {
        let shown = metadata.params.compactMap { p in parameters[p.name].map { "\(p.name)=\(formatNumber($0))" } }
        return shown.isEmpty ? fileName : "\(fileName)(\(shown.joined(separator: ", ")))"
    }

    /// The longest warm-up of the declared indicators (known after ``prepare(bars:)``).
    public var warmup: Int { runtime?.registry.warmup ?? 0 }

    /// Creates the run's sandbox, runs the script's top level and `on_init(ctx)`, then computes the
    /// declared indicators natively over all bars.
    /// - Throws: ``LuaError``.
    public mutating func prepare(bars: BarSeries) throws {
        runtime = try LuaStrategyRuntime(self, bars: bars)
    }

    /// Calls `on_bar(ctx, bar)` for the bar that just closed.
    public mutating func onBar(_ context: StrategyContext) -> Action {
        runtime!.onBar(context)
    }

    /// The script's error, if it failed during the run.
    public var failure: (any Error)? { runtime?.failure }

    /// What the script printed during the run.
    public var log: [LuaLogLine] { runtime?.sandbox.log ?? [] }

    /// The lifecycle calls of the run (empty for on_bar-style scripts).
    public var logicLog: [LogicLogEntry] { runtime?.sandbox.logic ?? [] }

    /// The indicators the script declared in `on_init`, in declaration order, each once (known
    /// after ``prepare(bars:)``).
    public var indicators: [IndicatorSpec] { runtime?.registry.specs ?? [] }

    /// The style the script was written in (known after ``prepare(bars:)``).
    public var style: StrategyStyle? { runtime?.style }

    /// Moves the running script's time-limit deadline `seconds` later (time spent paused does
    /// not count against the limit). No effect before ``prepare(bars:)``.
    public func postponeDeadline(by seconds: Double) {
        runtime?.sandbox.postponeDeadline(by: seconds)
    }

    /// Stops the running script as soon as possible, from any thread: its next instruction
    /// raises "run cancelled" and the run fails with ``LuaError/Kind/cancelled``. No effect
    /// before ``prepare(bars:)``.
    public func cancel() {
        runtime?.sandbox.cancel()
    }
}

/// One run of a ``LuaStrategy``: the sandbox, the bars it reads, the indicator columns.
final class LuaStrategyRuntime: @unchecked Sendable {
    let sandbox: LuaSandbox
    let registry = IndicatorRegistry()
    let bars: BarSeries
    private var featurePointers: UnsafeMutablePointer<UnsafePointer<Double>?>
    private(set) var failure: LuaError?
    private(set) var style = StrategyStyle.onBar

    init(_ strategy: LuaStrategy, bars: BarSeries) throws(LuaError) {
        sandbox = try LuaSandbox(limits: strategy.limits, seed: strategy.seed, chunkName: strategy.fileName,
                                 cancellation: strategy.cancellation)
        sandbox.indicators = registry
        self.bars = bars
        let run = sandbox.run
        // The bar columns are kept alive (self.bars) and never mutated: their storage stays put.
        run.pointee.count = Int64(bars.count)
        run.pointee.time = bars.timestamps.withUnsafeBufferPointer { $0.baseAddress }
        run.pointee.open = bars.open.withUnsafeBufferPointer { $0.baseAddress }
        run.pointee.high = bars.high.withUnsafeBufferPointer { $0.baseAddress }
        run.pointee.low = bars.low.withUnsafeBufferPointer { $0.baseAddress }
        run.pointee.close = bars.close.withUnsafeBufferPointer { $0.baseAddress }
        run.pointee.volume = bars.volume.withUnsafeBufferPointer { $0.baseAddress }
        featurePointers = .allocate(capacity: max(1, bars.featureColumns.count))
        for (k, column) in bars.featureColumns.enumerated() {
            featurePointers[k] = column.withUnsafeBufferPointer { $0.baseAddress }
        }
        run.pointee.features = UnsafePointer(featurePointers)
        run.pointee.featureCount = Int32(bars.featureColumns.count)

        let state = sandbox.state
        let names = bars.featureNames.map { strdup($0) }
        defer { names.forEach { free($0) } }
        let status = names.map { Optional(UnsafePointer($0!)) }.withUnsafeBufferPointer { buffer in
            tl_install_bindings(state, buffer.baseAddress, Int32(buffer.count), strategy.symbol, strategy.timeframe)
        }
        if status != LUA_OK { throw sandbox.popError(status) }
        IndicatorRegistry.install(in: state)
        try sandbox.setGlobal("params", numbers: strategy.parameters)

        try sandbox.execute(strategy.source)
        if sandbox.hasFunction("on_init") {
            _ = tl_rawgetglobal(state, "on_init")
            lua_rawgeti(state, tl_registryindex(), lua_Integer(run.pointee.ctxRef))
            try sandbox.call(arguments: 1, results: 0)
        }
        registry.accepting = false
        registry.compute(on: bars, into: run, cache: strategy.sharedIndicators)
        let lifecycle = Lifecycle.functions.filter(sandbox.hasFunction)
        let hasOnBar = sandbox.hasFunction("on_bar")
        switch (hasOnBar, lifecycle.count) {
        case (true, 0):
            style = .onBar
        case (false, 3):
            style = .lifecycle
            try Lifecycle.install(in: sandbox)
        case (true, _):
            throw LuaError(.api, "\(strategy.fileName): defines on_bar and lifecycle functions (\(lifecycle.joined(separator: ", "))); use one style")
        case (false, 0):
            throw LuaError(.api, "\(strategy.fileName): no on_bar(ctx, bar) function; define one that returns \"buy\", \"sell\", \"revert\", \"close\" or nil (or the lifecycle functions \(Lifecycle.functions.joined(separator: ", ")))")
        default:
            let missing = Lifecycle.functions.filter { !lifecycle.contains($0) }
            throw LuaError(.api, "\(strategy.fileName): a lifecycle strategy needs \(missing.joined(separator: " and ")) too")
        }
        _ = tl_cache_on_bar(state)
    }

    deinit {
        featurePointers.deallocate()
    }

    /// Runs on_bar for `context.index`; on failure records it and holds.
    func onBar(_ context: StrategyContext) -> Action {
        let run = sandbox.run
        run.pointee.index = Int64(context.index)
        run.pointee.position = context.position
        run.pointee.cash = context.cash
        run.pointee.equity = context.equity
        run.pointee.entryPrice = context.entryPrice
        run.pointee.realizedPnl = context.realizedPnl
        run.pointee.openTrades = Int64(context.openTrades)
        let kind = tl_call_on_bar(sandbox.state)
        switch kind {
        case 0: return .hold
        case 1...4: return action(Action.Kind.allCases[Int(kind)], run.pointee)
        case -1:
            failure = sandbox.popError(run.pointee.lastStatus)
        default:
            let type = String(cString: lua_typename(sandbox.state, lua_type(sandbox.state, -1)))
            let shown = type == "string" ? "\"\(String(cString: tl_tostring(sandbox.state, -1)))\"" : "a \(type)"
            tl_pop(sandbox.state, 1)
            failure = LuaError(.api, "\(sandbox.chunkName): on_bar returned \(shown) at bar \(context.index); return \"buy\", \"sell\", \"revert\", \"close\", \"hold\" or nil")
        }
        return .hold
    }

    /// The action with the size and levels a trade.* call gave.
    private func action(_ kind: Action.Kind, _ run: TLRun) -> Action {
        func given(_ v: Double) -> Double? { v.isNaN ? nil : v }
        guard run.actionKind == Int32(kind.rawValueIndex) else { return Action(kind) }
        let size: Sizing? = switch Int(run.sizeKind) {
        case Int(TL_SIZE_FRACTION.rawValue): .fractionOfEquity(run.size)
        case Int(TL_SIZE_QUANTITY.rawValue): .quantity(run.size)
        case Int(TL_SIZE_CASH.rawValue): .cash(run.size)
        default: nil
        }
        return Action(kind, size: size, stopLoss: given(run.stopLoss), takeProfit: given(run.takeProfit),
                      stopLossFraction: given(run.stopLossFraction), takeProfitFraction: given(run.takeProfitFraction),
                      limit: given(run.limit), stop: given(run.stop))
    }
}

extension Action.Kind {
    /// Position in `allCases`, matching the C side's TLActionKind.
    var rawValueIndex: Int { Action.Kind.allCases.firstIndex(of: self)! }
}

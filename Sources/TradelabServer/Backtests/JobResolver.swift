import Foundation
import TradelabCore
import TradelabData
import TradelabLua
import TradelabRun

/// Turns a ``BacktestRequest`` into a ``WorkerAssignment`` (the HTTP edge of the typed
/// ``RunJob``), checking everything that can be checked without running the script: the strategy
/// compiles and its parameters are declared and in range, the data exists, the account and
/// randomized settings are valid.
struct JobResolver: Sendable {
    let configuration: ServerConfiguration
    let library: StrategyLibrary
    let catalog: CatalogCache

    /// What the manager needs besides the job.
    struct Resolved: Sendable {
        var assignment: WorkerAssignment
        var strategyLabel: String
        var symbol: String?
        var timeframe: String?
        /// `baseline` when it names a previous run.
        var baselineRunId: String?
        /// `baseline` when it names an optimization: its model is filled in by the caller, who
        /// knows the optimizations (``OptimizationManager/baseline(_:for:)``).
        var baselineOptimizationId: String?
    }

    /// Resolves a request for session `id`.
    /// - Throws: ``APIError`` 400/404/422 naming the problem.
    func resolve(_ request: BacktestRequest, id: String) throws(APIError) -> Resolved {
        let strategy = try resolveStrategy(strategy: request.strategy, code: request.code, name: request.name, params: request.params ?? [:])
        let (data, entries, bounds) = try resolveData(request.data)
        let account = try (request.account ?? BacktestRequest.AccountRequest()).config()
        var randomized: RandomizedWindows?
        if let r = request.randomized {
            guard (1...10_000).contains(r.runs) else { throw APIError.badRequest("randomized.runs must be from 1 to 10000, was \(r.runs)", code: "invalid_value") }
            let span: TimeSpan
            do { span = try TimeSpan(parsing: r.duration) } catch {
                throw APIError.badRequest("randomized.duration: \(error)", code: "invalid_value")
            }
            if let available = Self.availableMilliseconds(data, entries: entries, bounds: bounds), span.milliseconds > available {
                throw APIError.badRequest("randomized.duration \(r.duration) is longer than the data (\(Self.roughly(available)))",
                                          code: "invalid_value")
            }
            randomized = RandomizedWindows(runs: r.runs, duration: span, seed: r.seed ?? 42)
        }
        let stateEvery = request.stateEvery ?? 10
        guard (1...10_000_000).contains(stateEvery) else {
            throw APIError.badRequest("stateEvery must be from 1 to 10000000 bars, was \(stateEvery)", code: "invalid_value")
        }
        let stateIntervalMs = request.stateIntervalMs ?? 0
        guard (0...60_000).contains(stateIntervalMs) else {
            throw APIError.badRequest("stateIntervalMs must be from 0 to 60000, was \(stateIntervalMs)", code: "invalid_value")
        }
        var baseline: BaselineReference?, baselineRunId: String?, baselineOptimizationId: String?
        switch request.baseline {
        case nil, "none", "": break
        case "buy-and-hold": baseline = .buyAndHold
        case let other? where other.hasPrefix("op_"): baselineOptimizationId = other
        case let other?: baselineRunId = other; baseline = .run(id: other)
        }
        let job = RunJob(strategy: strategy, parameters: request.params ?? [:], data: data, account: account, randomized: randomized,
                         baseline: baseline, limits: limits)
        let assignment = WorkerAssignment(id: id, job: job, outputDirectory: configuration.artifactsDirectory + "/" + id, stateEvery: stateEvery,
                                          stateInterval: stateIntervalMs > 0 ? Double(stateIntervalMs) / 1000 : nil)
        return Resolved(assignment: assignment, strategyLabel: Self.label(strategy), symbol: job.symbol, timeframe: data.timeframe,
                        baselineRunId: baselineRunId, baselineOptimizationId: baselineOptimizationId)
    }

    /// Resolves an optimization request for `id`: the base backtest as for a run, then the
    /// search, checked whole (ranges, size, declared parameters) before it is queued.
    /// - Throws: ``APIError`` 400/404/422 naming the problem.
    func resolve(_ request: OptimizeRequest, id: String) throws(APIError) -> Resolved {
        let strategy = try resolveStrategy(strategy: request.strategy, code: request.code, name: request.name, params: request.params ?? [:])
        let (data, _, _) = try resolveData(request.data)
        let base = RunJob(strategy: strategy, parameters: request.params ?? [:], data: data,
                          account: try (request.account ?? BacktestRequest.AccountRequest()).config(), limits: limits)
        let job = try request.job(base: base)
        do { try job.validate() } catch { throw APIError.badRequest(OptimizeRequest.apiWording(error.message), code: "invalid_value") }
        let interval = request.progressIntervalMs ?? 100
        guard (0...60_000).contains(interval) else {
            throw APIError.badRequest("progressIntervalMs must be from 0 to 60000, was \(interval)", code: "invalid_value")
        }
        let assignment = WorkerAssignment(id: id, work: .optimization(job), outputDirectory: configuration.artifactsDirectory + "/" + id,
                                          stateInterval: Double(interval) / 1000)
        return Resolved(assignment: assignment, strategyLabel: Self.label(strategy), symbol: base.symbol, timeframe: data.timeframe)
    }

    /// The sandbox limits of every run.
    private var limits: RunLimits { RunLimits(luaMemoryMiB: configuration.luaMemoryMiB, timeLimit: configuration.runTimeLimit) }

    /// A strategy's name as listed: a script's without `.lua`.
    private static func label(_ strategy: StrategyReference) -> String {
        strategy.isLua ? String(strategy.displayName.dropLast(4)) : strategy.displayName
    }

    /// How much time a symbol's catalog entries (of the chosen source) cover within the requested
    /// range (nil for files: the worker checks those when it has loaded them).
    private static func availableMilliseconds(_ query: BarQuery, entries: [CatalogEntry], bounds: Bounds) -> Int64? {
        guard let first = entries.map(\.from).min(), let last = entries.map(\.to).max() else { return nil }
        let step = query.timeframe.flatMap { try? Timeframe(parsing: $0) }?.milliseconds ?? 60_000
        return max(0, min(last + step, bounds.to ?? last + step) - max(first, bounds.from ?? first))
    }

    /// The requested range in UTC milliseconds (nil: unbounded).
    typealias Bounds = (from: Int64?, to: Int64?)

    /// A length for people: "30d", "2.5d", "12h", "45m".
    static func roughly(_ milliseconds: Int64) -> String {
        let hours = Double(milliseconds) / 3_600_000
        func trimmed(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value) }
        if hours >= 24 { return trimmed((hours / 24 * 10).rounded() / 10) + "d" }
        if hours >= 1 { return trimmed((hours * 10).rounded() / 10) + "h" }
        return "\(max(1, milliseconds / 60_000))m"
    }

    private func resolveStrategy(strategy: String?, code: String?, name: String?, params: [String: Double]) throws(APIError) -> StrategyReference {
        let reference: StrategyReference
        switch (strategy, code) {
        case (nil, nil):
            throw APIError.badRequest("give 'strategy' (a saved name or a built-in) or 'code' (Lua text)", code: "invalid_value")
        case (_?, _?):
            throw APIError.badRequest("give 'strategy' or 'code', not both", code: "invalid_value")
        case (let name?, nil):
            reference = try StrategyReference.named(name) { (name) throws(APIError) in
                let strategyName = try StrategyName(name)
                return .lua(name: strategyName.fileName, code: try library.code(of: strategyName))
            }
        case (nil, let code?):
            let label = (name?.isEmpty == false ? name! : "inline")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: ".lua", with: "")
            reference = .lua(name: label + ".lua", code: code)
        }
        do {
            try reference.check(parameters: params)
        } catch {
            switch error {
            case .invalid(let report):
                throw APIError(.unprocessableContent, "invalid_strategy", error.description, details: try? JSONValue(encoding: report.diagnostics))
            case .parameters, .unreadable:
                throw APIError.badRequest(error.description, code: "invalid_value")
            }
        }
        return reference
    }

    /// The bars' query, for a symbol its catalog entries of the chosen source (read once per
    /// request), and the range parsed. A reversed range, or one where the catalog knows the data
    /// and it has no bar, is refused here, before a run exists.
    private func resolveData(_ data: BacktestRequest.DataRequest) throws(APIError) -> (BarQuery, [CatalogEntry], Bounds) {
        if let timeframe = data.timeframe {
            do { _ = try Timeframe(parsing: timeframe) } catch { throw APIError.badRequest("data.timeframe: \(error)", code: "invalid_value") }
        }
        var parsed: [Int64?] = []
        for (field, value) in [("start", data.start), ("end", data.end)] {
            guard let value else { parsed.append(nil); continue }
            do { parsed.append(try UTCTime.parse(value)) } catch { throw APIError.badRequest("data.\(field): \(error)", code: "invalid_value") }
        }
        let bounds: Bounds = (parsed[0], parsed[1])
        if let from = bounds.from, let to = bounds.to, from >= to {
            throw APIError.badRequest("data.start (\(data.start!)) must be before data.end (\(data.end!))", code: "invalid_value")
        }
        func checkRange(_ entries: [CatalogEntry], name: String) throws(APIError) {
            if let outside = DataCatalog.outsideRange(entries, name: name, from: bounds.from, to: bounds.to) {
                throw APIError.badRequest(outside, code: "invalid_value")
            }
        }
        let directory = configuration.dataDirectory
        switch (data.symbol, data.dataset) {
        case (let symbol?, nil):
            guard data.timeframe != nil else { throw APIError.badRequest("data.timeframe is needed with data.symbol (e.g. \"15m\")", code: "invalid_value") }
            let known = (try? catalog.current())?.entries(symbol: symbol) ?? []
            guard !known.isEmpty else { throw APIError.notFound("no data for symbol '\(symbol)' in the data directory") }
            let chosen = known.filter { data.source == nil || $0.source == data.source }
            try checkRange(chosen, name: symbol)
            return (BarQuery(symbol: symbol, timeframe: data.timeframe, from: data.start, to: data.end, source: data.source, directory: directory),
                    chosen, bounds)
        case (nil, let dataset?):
            let path = try DataPath.resolve(dataset, in: directory)
            try checkRange((try? catalog.current())?.entries.filter { $0.path == dataset } ?? [], name: dataset)
            return (BarQuery(file: path, timeframe: data.timeframe, from: data.start, to: data.end, directory: directory), [], bounds)
        default:
            throw APIError.badRequest("data needs 'symbol' and 'timeframe', or 'dataset' (a file in the data directory)", code: "invalid_value")
        }
    }
}

/// Files named by requests inside a folder: relative, no `..`, no hidden parts, and still inside
/// the folder once symbolic links are resolved.
enum DataPath {
    /// The absolute path of `relative` inside `folder`.
    /// - Throws: 400 `invalid_path`, or 404 when it does not exist.
    static func resolve(_ relative: String, in folder: String) throws(APIError) -> String {
        let parts = relative.split(separator: "/", omittingEmptySubsequences: false)
        guard !relative.isEmpty, !relative.hasPrefix("/"), !relative.contains("\\"), !relative.contains("\0"),
              parts.allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") }),
              relative.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7f }) else {
            throw APIError.badRequest("invalid path '\(relative)': use a relative path without '..' or hidden parts", code: "invalid_path")
        }
        let resolved = URL(fileURLWithPath: folder + "/" + relative).resolvingSymlinksInPath().path
        guard contains(resolved, in: folder), !contains(folder, in: resolved) else {   // inside, not the folder itself
            throw APIError.badRequest("invalid path '\(relative)': it leaves its folder", code: "invalid_path")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw APIError.notFound("no file '\(relative)'")
        }
        return resolved
    }

    /// Whether `path` (symbolic links resolved) is `folder` or lies inside it.
    static func contains(_ path: String, in folder: String) -> Bool {
        let base = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        return resolved == base || resolved.hasPrefix(base + "/")
    }
}

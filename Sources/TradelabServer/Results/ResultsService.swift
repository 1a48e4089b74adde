import Foundation
import TradelabRun
import TradelabCore

/// Reads finished runs' results for the routes: the views of `/results`, `/equity`, `/trades`,
/// `/candles` and the artifact downloads, through the cache.
struct ResultsService: Sendable {
    let configuration: ServerConfiguration
    let manager: BacktestManager
    let cache: ResultCache

    /// A page of `/trades`.
    struct TradesPage: Sendable, Encodable {
        var total: Int
        var offset: Int
        var trades: [TradeRow]
    }

    /// The stored results of a finished or stopped run.
    /// - Throws: 404 for an unknown id, 409 while the run has not finished or when it failed.
    func stored(_ id: String) async throws -> StoredResults {
        let record = try await manager.record(id)
        guard record.status == .completed || record.status == .stopped else {
            if record.status == .failed {
                throw APIError.invalidState("run '\(id)' failed, so it has no results: \(record.errorMessage ?? "")")
            }
            throw APIError.invalidState("results are available once the run has finished; '\(id)' is \(record.status.rawValue)")
        }
        return try load(id)
    }

    /// The `/results` body: curves thinned to `maxPoints` (0: whole), the first `tradesLimit`
    /// trades, the compared run attached when the request named one (and it still exists). The default view is the
    /// stored `results.json` itself.
    func body(_ id: String, maxPoints: Int, tradesLimit: Int) async throws -> Data {
        let stored = try await stored(id)
        let baselineRunId = try await manager.record(id).baselineRunId
        let isDefault = maxPoints == RunArtifacts.defaultMaxPoints && tradesLimit == RunArtifacts.defaultTradesLimit
        if isDefault, baselineRunId == nil { return stored.defaultBody }
        let key = ResultCache.ViewKey(maxPoints: maxPoints, tradesLimit: tradesLimit)
        if let body = cache.body(id, view: key) { return body }
        let fromView = maxPoints != 0 && maxPoints <= RunArtifacts.defaultMaxPoints && tradesLimit <= RunArtifacts.defaultTradesLimit
        var results = (fromView ? try stored.view() : try stored.completeResults()).view(maxPoints: maxPoints == 0 ? nil : maxPoints, tradesLimit: tradesLimit)
        // A compared run that was deleted since leaves the results without a baseline.
        if let other = baselineRunId, let base = try? load(other).view() {
            results.baseline = Baseline(name: base.strategy, runId: other, totalReturn: base.metrics?.totalReturn ?? 0,
                                        equity: maxPoints == 0 ? base.equity : base.equity?.downsampled(to: maxPoints))
        }
        let body = try JSONCoding.encode(results)
        cache.storeBody(id, view: key, body)
        return body
    }

    /// The first run's whole equity curve, thinned to `maxPoints` when given.
    func equity(_ id: String, maxPoints: Int?) async throws -> Curve {
        let stored = try await stored(id)
        if let maxPoints, maxPoints <= RunArtifacts.defaultMaxPoints, let equity = try stored.view().equity { return equity.downsampled(to: maxPoints) }
        guard let equity = try stored.completeResults().equity else { throw APIError.notFound("run '\(id)' has no equity curve") }
        return maxPoints.map { equity.downsampled(to: $0) } ?? equity
    }

    /// A page of trades of every run, in run order.
    func trades(_ id: String, offset: Int, limit: Int) async throws -> TradesPage {
        let stored = try await stored(id)
        let view = try stored.view()
        let total = view.tradesTotal
        let first = view.trades ?? []
        let all = offset + limit <= first.count || first.count == total ? first : (try stored.completeResults().trades ?? [])
        return TradesPage(total: total, offset: offset, trades: Array(all.dropFirst(offset).prefix(limit)))
    }

    /// A file of the run: one it wrote, or a CSV made from its tables.
    /// - Returns: The bytes and the file's name.
    func artifact(_ id: String, path relative: String) async throws -> (data: Data, name: String) {
        _ = try await manager.record(id)
        let directory = configuration.artifactsDirectory + "/" + id
        if let csv = try RunArtifacts.csv(named: relative, in: directory) { return (csv, relative) }
        let path = try DataPath.resolve(relative, in: directory)
        return (try Data(contentsOf: URL(fileURLWithPath: path)), URL(fileURLWithPath: path).lastPathComponent)
    }

    /// The bars a run used, optionally cut to `window` (UTC milliseconds), with `indicators` computed
    /// over all of them.
    func candles(_ id: String, maxPoints: Int?, window: Range<Int64>? = nil, indicators: [IndicatorSpec] = []) async throws -> Candles {
        let record = try await manager.record(id)
        guard let query = record.job?.job.data else { throw APIError.notFound("no backtest session with id '\(id)'") }
        let loaded = try query.load()
        return Candles(loaded.bars, symbol: record.symbol ?? query.sourceName, timeframe: loaded.timeframe?.rawValue, maxPoints: maxPoints,
                       window: window, indicators: indicators)
    }

    private func load(_ id: String) throws -> StoredResults {
        if let cached = cache.get(id) { return cached }
        let stored = try StoredResults(directory: configuration.artifactsDirectory + "/" + id)
        cache.put(id, stored)
        return stored
    }
}

import Foundation
import Hummingbird
import TradelabCore
import TradelabData

/// `/api/engine`, `/api/symbols`, `/api/history/:symbol` and `/api/openapi.json`.
enum ReferenceRoutes {
    struct SymbolView: Encodable {
        var symbol: String
        var available: Bool
        var timeframe: String?
        var from: String?
        var to: String?
        var bars: Int
    }
    struct CategoryView: Encodable {
        var name: String
        var symbols: [SymbolView]
    }
    /// One dataset of the data directory's catalog.
    struct DatasetView: Encodable {
        var symbol: String
        var timeframe: String?
        var from: String
        var to: String
        var bars: Int
        /// `.` for files at the top of the data folder, else the folder (`binance`).
        var source: String
        /// The file, relative to the data folder (usable as `data.dataset`).
        var file: String
        /// Whether the symbol is one of the curated sample symbols.
        var curated: Bool
    }
    struct SymbolsView: Encodable {
        var categories: [CategoryView]
        var datasets: [DatasetView]
    }

    static func register(on router: Router<AppContext>, services: ServerServices) {
        let manager = services.manager
        let dataDirectory = services.configuration.dataDirectory
        router.get("api/engine") { _, _ -> Response in
            try JSONResponse.make(await manager.engine())
        }
        router.get("api/symbols") { _, _ -> Response in
            let catalog = try? services.catalog.current()
            let categories = SampleCategory.allCases.map { category in
                CategoryView(name: category.rawValue, symbols: SampleData.symbols.filter { $0.category == category }.map { symbol in
                    let best = catalog.flatMap { largestEntry(of: symbol.name, in: $0) }
                    return SymbolView(symbol: symbol.name, available: best != nil, timeframe: best?.timeframe,
                                      from: best.map { UTCTime.format($0.from) }, to: best.map { UTCTime.format($0.to) }, bars: best?.rows ?? 0)
                })
            }
            let curated = Set(SampleData.symbols.map(\.name))
            // The curated symbols' datasets first (in the categories' order), then the user's own.
            let order = Dictionary(SampleData.symbols.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
            let datasets = (catalog?.entries ?? []).map { entry in
                DatasetView(symbol: entry.symbol, timeframe: entry.timeframe, from: UTCTime.format(entry.from), to: UTCTime.format(entry.to),
                            bars: entry.rows, source: entry.source, file: entry.path, curated: curated.contains(entry.symbol))
            }.sorted { a, b in
                (order[a.symbol] ?? Int.max, a.symbol, a.timeframe ?? "", a.file) < (order[b.symbol] ?? Int.max, b.symbol, b.timeframe ?? "", b.file)
            }
            return try JSONResponse.make(SymbolsView(categories: categories, datasets: datasets))
        }
        router.get("api/history/:symbol") { request, context -> Response in
            let symbol = try context.parameters.require("symbol")
            let catalog = try services.catalog.current()
            guard let entry = largestEntry(of: symbol, in: catalog) else {
                throw APIError.notFound("no data for symbol '\(symbol)' in the data directory")
            }
            let interval = request.string("interval") ?? entry.timeframe ?? "1h"
            let query = BarQuery(symbol: symbol, timeframe: interval, from: request.string("start"), to: request.string("end"),
                                 source: request.string("source"), directory: dataDirectory)
            let loaded: BarQuery.Loaded
            do { loaded = try query.load() } catch {
                // Name files relative to the data folder: the server's paths are nobody's business.
                throw APIError.badRequest("\(error)".replacingOccurrences(of: dataDirectory + "/", with: "")
                    .replacingOccurrences(of: dataDirectory, with: "data folder"), code: "invalid_value")
            }
            let maxPoints = try request.integer("maxPoints", in: 1...10_000_000)
            return try JSONResponse.make(Candles(loaded.bars, symbol: symbol.uppercased(), timeframe: interval, maxPoints: maxPoints,
                                                 indicators: try request.indicatorSpecs()))
        }
        router.get("api/openapi.json") { _, _ -> Response in
            JSONResponse.data(try OpenAPIDocument.data())
        }
    }
}

/// A symbol's catalog entry with the most bars (its native data, when resampled copies exist).
private func largestEntry(of symbol: String, in catalog: DataCatalog) -> CatalogEntry? {
    catalog.entries(symbol: symbol).max { $0.rows < $1.rows }
}

/// The OpenAPI document bundled with the server (`Resources/openapi.json`).
enum OpenAPIDocument {
    static func data() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json") else {
            throw APIError(.internalServerError, "internal", "the OpenAPI document is missing from the build")
        }
        return try Data(contentsOf: url)
    }
}

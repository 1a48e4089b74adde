import TradelabCore

/// The body of `POST /api/backtest/run` and `/create` (see `docs/http-api.md`).
struct BacktestRequest: Sendable, Codable, Equatable {
    /// Where the bars come from.
    struct DataRequest: Sendable, Codable, Equatable {
        var symbol: String?
        var timeframe: String?
        var start: String?
        var end: String?
        var source: String?
        var dataset: String?
    }

    /// Account and execution settings; every field optional (defaults of ``AccountConfig``).
    struct AccountRequest: Sendable, Codable, Equatable {
        var preset: String?
        var initialCapital: Double?
        var commission: Double?
        var fixedFee: Double?
        var slippageBps: Double?
        var positionSizePercent: Double?
        var quantity: Double?
        var cashPerTrade: Double?
        var wholeUnits: Bool?
        var allowShort: Bool?
        var maxOpenTrades: Int?
        var stopLossPercent: Double?
        var takeProfitPercent: Double?
        var closeAtEnd: Bool?
        var fillAtClose: Bool?
    }

    /// Randomized testing settings.
    struct RandomizedRequest: Sendable, Codable, Equatable {
        var runs: Int
        var duration: String
        var seed: UInt64?
    }

    var name: String?
    var strategy: String?
    var code: String?
    var params: [String: Double]?
    var data: DataRequest
    var account: AccountRequest?
    var randomized: RandomizedRequest?
    var baseline: String?
    var stateEvery: Int?
    var stateIntervalMs: Int?

    /// The fields accepted; anything else is refused by name.
    static let fields: FieldSpec = .object([
        "name": .value, "strategy": .value, "code": .value, "params": .map(.value), "baseline": .value, "stateEvery": .value,
        "stateIntervalMs": .value,
        "data": .object(["symbol": .value, "timeframe": .value, "start": .value, "end": .value, "source": .value, "dataset": .value]),
        "account": .object([
            "preset": .value, "initialCapital": .value, "commission": .value, "fixedFee": .value, "slippageBps": .value,
            "positionSizePercent": .value, "quantity": .value, "cashPerTrade": .value, "wholeUnits": .value, "allowShort": .value,
            "maxOpenTrades": .value, "stopLossPercent": .value, "takeProfitPercent": .value, "closeAtEnd": .value, "fillAtClose": .value,
        ]),
        "randomized": .object(["runs": .value, "duration": .value, "seed": .value]),
    ])
}

extension BacktestRequest.AccountRequest {
    /// The account settings: the preset, then each given field.
    /// - Throws: ``APIError`` 400 `invalid_value` naming the field.
    func config() throws(APIError) -> AccountConfig {
        do {
            var c = try AccountConfig.preset(named: preset ?? "default")
            if let initialCapital { c.initialCash = initialCapital }
            if let commission { c.commissionRate = commission }
            if let fixedFee { c.commissionFixed = fixedFee }
            if let slippageBps { c.slippageBps = slippageBps }
            let sizes = [positionSizePercent != nil, quantity != nil, cashPerTrade != nil].filter { $0 }.count
            if sizes > 1 { throw ConfigError(parameter: "account", value: "several sizes", allowed: "one of positionSizePercent, quantity, cashPerTrade") }
            if let positionSizePercent { c.sizing = .fractionOfEquity(positionSizePercent >= 100 ? 1 : positionSizePercent / 100) }
            if let quantity { c.sizing = .quantity(quantity) }
            if let cashPerTrade { c.sizing = .cash(cashPerTrade) }
            if let wholeUnits { c.fractional = !wholeUnits }
            if let allowShort { c.allowShort = allowShort }
            if let maxOpenTrades { c.maxOpenTrades = maxOpenTrades }
            if let stopLossPercent { c.stopLossFraction = try Self.fraction(stopLossPercent, "stopLossPercent") }
            if let takeProfitPercent { c.takeProfitFraction = try Self.fraction(takeProfitPercent, "takeProfitPercent") }
            if let closeAtEnd { c.closeAtEnd = closeAtEnd }
            if let fillAtClose { c.fillMode = fillAtClose ? .close : .nextOpen }
            if let positionSizePercent, !(positionSizePercent > 0 && positionSizePercent <= 100) {
                throw ConfigError(parameter: "positionSizePercent", value: "\(positionSizePercent)", allowed: "a percentage in (0, 100]")
            }
            try c.validate()
            return c
        } catch {
            throw APIError.badRequest("account: \(error)", code: "invalid_value")
        }
    }

    private static func fraction(_ percent: Double, _ name: String) throws(ConfigError) -> Double {
        guard percent.isFinite, percent > 0, percent < 100 else {
            throw ConfigError(parameter: name, value: "\(percent)", allowed: "a percentage between 0 and 100 (2 = 2%)")
        }
        return percent / 100
    }
}

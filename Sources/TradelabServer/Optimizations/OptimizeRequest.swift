import Foundation
import TradelabCore
import TradelabRun

/// The body of `POST /api/optimize` (see `docs/http-api.md`): the backtest every trial runs
/// (strategy, fixed parameters, data, account, as in `POST /api/backtest/run`) and the search,
/// with the options of `tradelab optimize`.
struct OptimizeRequest: Sendable, Codable, Equatable {
    /// A searched parameter's values: range text (`"5:50:5"`, `"5,10,20"`) or a list of numbers.
    enum RangeValue: Sendable, Codable, Equatable {
        case text(String)
        case list([Double])

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let text = try? c.decode(String.self) { self = .text(text) } else { self = .list(try c.decode([Double].self)) }
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .text(let text): try c.encode(text)
            case .list(let values): try c.encode(values)
            }
        }
    }

    /// The walk-forward test.
    struct WalkForwardRequest: Sendable, Codable, Equatable {
        var folds: Int
        var inSamplePercent: Double?
        var anchored: Bool?
    }

    var name: String?
    var strategy: String?
    var code: String?
    /// Fixed parameters (not searched).
    var params: [String: Double]?
    var data: BacktestRequest.DataRequest
    var account: BacktestRequest.AccountRequest?
    var paramRanges: [String: RangeValue]
    var constraints: [String]?
    var method: String?
    var trials: Int?
    var population: Int?
    var generations: Int?
    var patience: Int?
    var objective: String?
    var minTrades: Int?
    var maxDrawdownPercent: Double?
    var seed: UInt64?
    var walkForward: WalkForwardRequest?
    var monteCarlo: Int?
    var progressIntervalMs: Int?

    /// The fields accepted; anything else is refused by name.
    static let fields: FieldSpec = {
        guard case .object(var members) = BacktestRequest.fields else { fatalError("BacktestRequest.fields is an object") }
        for key in ["randomized", "baseline", "stateEvery", "stateIntervalMs"] { members.removeValue(forKey: key) }
        for key in ["constraints", "method", "trials", "population", "generations", "patience", "objective", "minTrades",
                    "maxDrawdownPercent", "seed", "monteCarlo", "progressIntervalMs"] { members[key] = .value }
        members["paramRanges"] = .map(.value)
        members["walkForward"] = .object(["folds": .value, "inSamplePercent": .value, "anchored": .value])
        return .object(members)
    }()

    /// The search this request describes over `base` (its parameters are the fixed ones).
    /// - Throws: ``APIError`` 400 `invalid_value` naming the field.
    func job(base: RunJob) throws(APIError) -> OptimizationJob {
        do throws(OptimizeError) {
            guard !paramRanges.isEmpty else { throw OptimizeError("paramRanges: give at least one searched parameter, e.g. {\"fast\": \"5:50:5\"}") }
            let ranges = try paramRanges.sorted { $0.key < $1.key }.map { name, value throws(OptimizeError) in
                switch value {
                case .text(let text): try ParameterRange(parsing: name + "=" + text)
                case .list(let values): try ParameterRange(name: name, values: values)
                }
            }
            let space = try ParameterSpace(ranges: ranges,
                                           constraints: try (constraints ?? []).map { text throws(OptimizeError) in try ParameterConstraint(parsing: text) },
                                           fixed: base.parameters)
            if let clash = space.ranges.first(where: { base.parameters[$0.name] != nil }) {
                throw OptimizeError("'\(clash.name)' is both searched (paramRanges) and fixed (params)")
            }
            let name = method ?? "grid"
            if trials != nil, name != "random" { throw OptimizeError("trials goes with method random") }
            if population != nil || generations != nil || patience != nil, name != "genetic" {
                throw OptimizeError("population, generations and patience go with method genetic")
            }
            let search: SearchMethod
            switch name {
            case "grid": search = .grid
            case "random": search = .random(trials: trials ?? 100)
            case "genetic":
                let d = GeneticOptions()
                search = .genetic(GeneticOptions(population: population ?? d.population, generations: generations ?? d.generations,
                                                 patience: patience ?? d.patience))
            default: throw OptimizeError("method must be grid, random or genetic, was '\(name)'")
            }
            if let maxDrawdownPercent, !(maxDrawdownPercent > 0 && maxDrawdownPercent <= 100) {
                throw OptimizeError("maxDrawdownPercent must be a percentage in (0, 100], was \(maxDrawdownPercent)")
            }
            var walk: WalkForwardOptions?
            if let w = walkForward {
                let share = (w.inSamplePercent ?? 70) / 100
                guard share > 0, share < 1 else { throw OptimizeError("walkForward.inSamplePercent must be between 0 and 100, was \(share * 100)") }
                walk = WalkForwardOptions(folds: w.folds, inSample: share, anchored: w.anchored ?? false)
            }
            return OptimizationJob(base: base, space: space, method: search, objective: try Objective(parsing: objective ?? "sharpe"),
                                   filter: TrialFilter(minTrades: minTrades, maxDrawdown: maxDrawdownPercent.map { $0 / 100 }),
                                   seed: seed ?? 42, walkForward: walk, monteCarlo: monteCarlo)
        } catch {
            throw APIError.badRequest(Self.apiWording(error.message), code: "invalid_value")
        }
    }

    /// The optimizer's checks name the CLI's flags; here they name this request's fields.
    static func apiWording(_ message: String) -> String {
        [("--method random --trials N or --method genetic", "method random with trials, or method genetic"),
         ("--param-range fast=5:50:5", "paramRanges {\"fast\": \"5:50:5\"}"), ("--param-range ", "paramRanges."),
         ("--walk-forward", "walkForward.folds"), ("--in-sample", "walkForward.inSamplePercent"), ("--monte-carlo", "monteCarlo"),
         ("--trials", "trials"), ("--population", "population"), ("--generations", "generations")]
            .reduce(message) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
    }
}

import CLua
import CLuaShim
import TradelabCore

/// The indicators a script declared in `on_init`, and their columns once computed.
///
/// Each declared spec gets consecutive columns (one per output); declaring the same spec twice
/// reuses its columns. After `on_init`, ``compute(on:into:)`` runs every spec once, natively, over
/// the whole series and hands the C bindings a pointer per column.
final class IndicatorRegistry {
    private(set) var specs: [IndicatorSpec] = []
    private var firstColumn: [IndicatorSpec: Int] = [:]
    private var columnCount = 0
    private var columns: [[Double]] = []
    private var columnNames: [String] = []
    private var pointers: UnsafeMutablePointer<UnsafePointer<Double>?>?
    /// True while `on_init` runs: only then may indicators be declared.
    var accepting = true

    deinit { pointers?.deallocate() }

    /// Most indicators one script may declare (each costs a column of the series' length).
    static let maximumSpecs = 256

    /// Registers `spec`; returns the index of its first column, or nil past ``maximumSpecs``.
    func declare(_ spec: IndicatorSpec) -> Int? {
        if let column = firstColumn[spec] { return column }
        guard specs.count < Self.maximumSpecs else { return nil }
        let column = columnCount
        firstColumn[spec] = column
        specs.append(spec)
        columnCount += spec.outputNames.count
        return column
    }

    /// Every column's value at bar `index`, by column name (warm-up values left out).
    func values(at index: Int) -> [String: Double] {
        var result: [String: Double] = [:]
        for (name, column) in zip(columnNames, columns) where index < column.count && !column[index].isNaN {
            result[name] = column[index]
        }
        return result
    }

    /// Bars needed before every declared indicator has a value.
    var warmup: Int { specs.map(\.lookback).max() ?? 0 }

    /// Computes every column (or takes it from `cache` when that covers `bars`) and points `run` at them.
    func compute(on bars: BarSeries, into run: UnsafeMutablePointer<TLRun>, cache: IndicatorCache?) {
        let shared = cache.flatMap { $0.covers(bars) ? $0 : nil }
        columns = specs.flatMap { shared?.values(of: $0) ?? $0.compute(on: bars) }
        columnNames = specs.flatMap(\.outputNames)
        let table = UnsafeMutablePointer<UnsafePointer<Double>?>.allocate(capacity: max(1, columns.count))
        for (k, column) in columns.enumerated() {
            // The arrays are kept, never mutated, for the registry's lifetime: their storage stays put.
            table[k] = column.withUnsafeBufferPointer { $0.baseAddress }
        }
        pointers = table
        run.pointee.indicators = UnsafePointer(table)
        run.pointee.indicatorCount = Int32(columns.count)
    }

    /// Installs `ta.<name>` for every catalog indicator into the global `ta` table.
    static func install(in state: OpaquePointer) {
        _ = tl_getglobal(state, "ta")
        for info in IndicatorSpec.catalog {
            tl_pushstring(state, info.name)
            tl_push_swift_function(state, indicatorFunction, 1)
            lua_setfield(state, -2, info.name)
        }
        // ta.unknown -> a clear error listing the indicators.
        lua_createtable(state, 0, 2)
        tl_push_swift_function(state, unknownIndicator, 0)
        lua_setfield(state, -2, "__index")
        tl_pushstring(state, "locked")
        lua_setfield(state, -2, "__metatable")
        lua_setmetatable(state, -2)
        tl_pop(state, 1)
    }
}

/// Raises `message` as a Lua error through the trampoline.
private func fail(_ state: OpaquePointer, _ message: String) -> Int32 {
    tl_pushstring(state, message)
    return -1
}

/// `ta.NAME(p1, p2, ..., [source])` in on_init: declares an indicator and returns its object (or a
/// table of them for several outputs). `ta.NAME(p..., array)` anywhere: the indicator over a Lua
/// array of numbers, returned as an array (nil during warm-up) with field `n`.
private let indicatorFunction: tl_swift_function = { state in
    guard let state else { return 0 }
    let name = String(cString: tl_tostring(state, tl_upvalueindex(2)))
    let top = lua_gettop(state)
    var parameters: [Double] = []
    var source = PriceSource.close
    var array: Int32?
    if top >= 1 {
        for index in 1...top {
            switch lua_type(state, index) {
            case LUA_TNUMBER:
                parameters.append(tl_tonumber(state, index))
            case LUA_TSTRING where index == top:
                let text = String(cString: tl_tostring(state, index))
                guard let value = PriceSource(rawValue: text) else {
                    return fail(state, "ta.\(name): unknown price source '\(text)'; use one of \(PriceSource.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                source = value
            case LUA_TTABLE where index == top:
                array = index
            default:
                let type = String(cString: lua_typename(state, lua_type(state, index)))
                return fail(state, "ta.\(name): argument \(index) is a \(type); expected numbers (parameters), then optionally a price source or an array")
            }
        }
    }
    let spec: IndicatorSpec
    do {
        spec = try IndicatorSpec(name: name, parameters: parameters, source: source)
    } catch {
        return fail(state, "ta.\(name): \(error)")
    }
    if let array { return arrayForm(state, spec: spec, table: array) }

    let registry = LuaSandbox.owner(of: state).indicators
    guard let registry, registry.accepting else {
        return fail(state, "ta.\(name): declare indicators in on_init (they are computed once, natively, before the first bar); in on_bar pass an array: ta.\(name)(..., values)")
    }
    guard let first = registry.declare(spec) else {
        return fail(state, "ta.\(name): more than \(IndicatorRegistry.maximumSpecs) different indicators declared (sandbox limit)")
    }
    let outputs = spec.kind.info.outputs
    let names = spec.outputNames
    if outputs.count == 1 {
        tl_pushstring(state, names[0])
        tl_push_indicator(state, Int32(first))
        return 1
    }
    lua_createtable(state, 0, Int32(outputs.count))
    for (k, output) in outputs.enumerated() {
        let field = output.split(separator: "_", maxSplits: 1).last.map(String.init) ?? output
        tl_pushstring(state, names[k])
        tl_push_indicator(state, Int32(first + k))
        lua_setfield(state, -2, field)
    }
    return 1
}

/// `ta.NAME` for a name that is neither an indicator nor a helper.
private let unknownIndicator: tl_swift_function = { state in
    guard let state else { return 0 }
    let key = lua_type(state, 2) == LUA_TSTRING ? String(cString: tl_tostring(state, 2)) : "?"
    let known = IndicatorSpec.catalog.map(\.name) + ["crossover", "crossunder"]
    return fail(state, "unknown indicator ta.\(key); available: \(known.joined(separator: ", "))")
}

/// The indicator over a Lua array (single-series indicators only).
private func arrayForm(_ state: OpaquePointer, spec: IndicatorSpec, table: Int32) -> Int32 {
    guard spec.kind.info.acceptsSource else {
        return fail(state, "ta.\(spec.name) needs high/low/close bars; only single-series indicators take an array")
    }
    let count = Int(lua_rawlen(state, table))
    guard count <= 1_000_000 else { return fail(state, "ta.\(spec.name): arrays are limited to 1,000,000 values, got \(count)") }
    var values = [Double](repeating: 0, count: count)
    for k in 0..<count {
        lua_rawgeti(state, table, lua_Integer(k + 1))
        var isNumber: Int32 = 0
        let value = lua_tonumberx(state, -1, &isNumber)
        tl_pop(state, 1)
        guard isNumber != 0, value.isFinite else {
            return fail(state, "ta.\(spec.name): element \(k + 1) of the array is not a finite number")
        }
        values[k] = value
    }
    let result: [Double]
    if count == 0 {
        result = []
    } else {
        result = spec.compute(on: BarSeries(everyPrice: values))[0]
    }
    lua_createtable(state, Int32(count), 1)
    for (k, value) in result.enumerated() where !value.isNaN {
        lua_pushnumber(state, value)
        lua_rawseti(state, -2, lua_Integer(k + 1))
    }
    lua_pushinteger(state, lua_Integer(count))
    lua_setfield(state, -2, "n")
    return 1
}

extension BarSeries {
    /// A series whose every price is `values`, one bar per value (for indicators over a Lua array).
    init(everyPrice values: [Double]) {
        // Every price equal and finite, strictly increasing times: always valid.
        self = try! BarSeries(timestamps: values.indices.map { Int64($0) }, open: values, high: values, low: values,
                              close: values, volume: [Double](repeating: 0, count: values.count))
    }
}

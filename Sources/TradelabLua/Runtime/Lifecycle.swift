import CLua
import CLuaShim
import TradelabCore

/// One call of a lifecycle-style strategy, as the logic log keeps it.
public struct LogicLogEntry: Sendable, Equatable, Codable {
    /// The bar.
    public var bar: Int
    /// The state the engine was in: "Idle", "Analyzing" or "InPosition".
    public var state: String
    /// The function called: detect_opportunity, filter_commitment or manage_position.
    public var function: String
    /// What it returned, rendered as text ("nil", "true", "{side=long, sl=95}", "stop hit").
    public var result: String
    /// The declared indicators' values at that bar (warm-up values left out).
    public var indicators: [String: Double]
}

/// The lifecycle style: the engine keeps the state machine and calls the script's three functions.
///
/// - Idle: `detect_opportunity(ctx, bar)` returns a signal (a table such as `{side = "long", sl = 95}`,
///   or "long"/"short") or nil.
/// - Analyzing (same bar): `filter_commitment(ctx, bar, signal)` returns true to enter (a market
///   order with the signal's options) or false to let it go.
/// - InPosition: `manage_position(ctx, bar, position)` returns nil to hold, or a reason (a string)
///   to exit. `position` has side, quantity, entry_price, unrealized_pnl and bars_held.
enum Lifecycle {
    static let functions = StrategyStyle.lifecycle.callbacks

    /// The adapter: an `on_bar` written in Lua over the three functions (trusted engine code, run in
    /// the same sandbox and under the same limits).
    static let adapter = """
    local record = ...
    local detect, filter, manage = detect_opportunity, filter_commitment, manage_position
    local entered_at = nil
    function on_bar(ctx, bar)
      if ctx.position ~= 0 then
        entered_at = entered_at or ctx.step
        local position = {
          side = ctx.position > 0 and "long" or "short", quantity = math.abs(ctx.position),
          entry_price = ctx.entry_price, unrealized_pnl = ctx.unrealized_pnl, bars_held = ctx.step - entered_at,
        }
        local reason = manage(ctx, bar, position)
        record("InPosition", "manage_position", reason)
        if reason ~= nil and reason ~= false then return "close" end
        return nil
      end
      entered_at = nil
      local signal = detect(ctx, bar)
      record("Idle", "detect_opportunity", signal)
      if signal == nil or signal == false then return nil end
      local ok = filter(ctx, bar, signal)
      record("Analyzing", "filter_commitment", ok)
      if not ok then return nil end
      local side = type(signal) == "table" and signal.side or signal
      local options = type(signal) == "table" and signal or nil
      if side == "short" or side == "sell" then trade.sell(options) else trade.buy(options) end
    end
    """

    /// Installs the adapter as `on_bar`; the recording function is handed to it as the chunk's
    /// argument, never through a global the script could intercept.
    static func install(in sandbox: LuaSandbox) throws(LuaError) {
        try sandbox.execute(adapter, chunkName: "lifecycle") { state in
            tl_push_swift_function(state, recordFunction, 0)
            return 1
        }
    }
}

/// `record(state, function, result)`: appends to the owner's logic log.
private let recordFunction: tl_swift_function = { state in
    guard let state else { return 0 }
    let sandbox = LuaSandbox.owner(of: state)
    func text(_ index: Int32) -> String {
        lua_type(state, index) == LUA_TSTRING ? String(cString: tl_tostring(state, index)) : "?"
    }
    let entry = LogicLogEntry(
        bar: Int(sandbox.run.pointee.index),
        state: text(1),
        function: text(2),
        result: render(state, 3),
        indicators: sandbox.indicators?.values(at: Int(sandbox.run.pointee.index)) ?? [:])
    sandbox.appendLogic(entry)
    return 0
}

/// A short rendering of a Lua value: scalars as Lua prints them, tables as {key=value, ...} sorted.
private func render(_ state: OpaquePointer, _ index: Int32) -> String {
    switch lua_type(state, index) {
    case LUA_TNONE, LUA_TNIL: return "nil"
    case LUA_TBOOLEAN: return lua_toboolean(state, index) != 0 ? "true" : "false"
    case LUA_TNUMBER: return formatNumber(tl_tonumber(state, index))
    case LUA_TSTRING: return String(cString: tl_tostring(state, index))
    case LUA_TTABLE:
        var pairs: [String] = []
        lua_pushnil(state)
        while lua_next(state, index) != 0 {
            if pairs.count < 20, lua_type(state, -2) == LUA_TSTRING,
               [LUA_TNUMBER, LUA_TSTRING, LUA_TBOOLEAN].contains(lua_type(state, -1)) {
                pairs.append("\(String(cString: tl_tostring(state, -2)))=\(render(state, lua_gettop(state)))")
            }
            tl_pop(state, 1)
        }
        return "{" + pairs.sorted().joined(separator: ", ") + "}"
    default:
        return String(cString: lua_typename(state, lua_type(state, index)))
    }
}

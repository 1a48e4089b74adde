// The strategy bindings that run on every bar, in C: bar/ctx proxies, indicator reads,
// ta.crossover / ta.crossunder and trade.*. Keys are interned once and compared by pointer.
#include "CLuaShim.h"
#include <math.h>
#include <string.h>

enum {
    K_TS, K_TIME, K_OPEN, K_HIGH, K_LOW, K_CLOSE, K_VOLUME,
    K_POSITION, K_CASH, K_EQUITY, K_UNREALIZED, K_REALIZED, K_STEP, K_INDEX, K_OPEN_TRADES, K_ENTRY_PRICE,
    K_VALUE, K_BUY, K_SELL, K_REVERT, K_HOLD, K_COUNT
};
static const char *const tl_key_names[K_COUNT] = {
    "ts", "time", "open", "high", "low", "close", "volume",
    "position", "cash", "equity", "unrealized_pnl", "realized_pnl", "step", "index", "open_trades", "entry_price",
    "value", "buy", "sell", "revert", "hold",
};

static const char INDICATOR_META[] = "tradelab.indicator";

static void tl_push_value(lua_State *L, double v) {
    if (isnan(v)) lua_pushnil(L); else lua_pushnumber(L, v);
}

static const char *tl_key(lua_State *L, int index) {
    return lua_type(L, index) == LUA_TSTRING ? lua_tostring(L, index) : NULL;
}

// ---- bar --------------------------------------------------------------------------------------

// Upvalue 1: feature name -> column index.
static int tl_bar_index(lua_State *L) {
    TLRun *run = tl_run(L);
    const char *k = tl_key(L, 2);
    int64_t i = run->index;
    const char *const *keys = run->keys;
    if (k == keys[K_CLOSE]) lua_pushnumber(L, run->close[i]);
    else if (k == keys[K_OPEN]) lua_pushnumber(L, run->open[i]);
    else if (k == keys[K_HIGH]) lua_pushnumber(L, run->high[i]);
    else if (k == keys[K_LOW]) lua_pushnumber(L, run->low[i]);
    else if (k == keys[K_VOLUME]) lua_pushnumber(L, run->volume[i]);
    else if (k == keys[K_TS] || k == keys[K_TIME]) lua_pushinteger(L, (lua_Integer)run->time[i]);
    else if (k == keys[K_INDEX]) lua_pushinteger(L, (lua_Integer)i);
    else {
        lua_pushvalue(L, 2);
        if (lua_rawget(L, lua_upvalueindex(1)) == LUA_TNUMBER) {
            int column = (int)lua_tointeger(L, -1);
            tl_push_value(L, run->features[column][i]);
        } else {
            lua_pushnil(L);
        }
    }
    return 1;
}

static int tl_readonly(lua_State *L) {
    const char *what = lua_tostring(L, lua_upvalueindex(1));
    return luaL_error(L, "%s is read-only%s", what,
                      strcmp(what, "ctx") == 0 ? "; keep your own data in ctx.state" : "");
}

// ---- ctx --------------------------------------------------------------------------------------

static int tl_ctx_index(lua_State *L) {
    TLRun *run = tl_run(L);
    const char *k = tl_key(L, 2);
    const char *const *keys = run->keys;
    if (k == keys[K_POSITION]) lua_pushnumber(L, run->position);
    else if (k == keys[K_CASH]) lua_pushnumber(L, run->cash);
    else if (k == keys[K_EQUITY]) lua_pushnumber(L, run->equity);
    else if (k == keys[K_UNREALIZED]) {
        double close = run->count > 0 ? run->close[run->index] : NAN;
        lua_pushnumber(L, run->position == 0 ? 0 : run->position * (close - run->entryPrice));
    }
    else if (k == keys[K_REALIZED]) lua_pushnumber(L, run->realizedPnl);
    else if (k == keys[K_STEP]) lua_pushinteger(L, (lua_Integer)(run->index + 1));
    else if (k == keys[K_INDEX]) lua_pushinteger(L, (lua_Integer)run->index);
    else if (k == keys[K_OPEN_TRADES]) lua_pushinteger(L, (lua_Integer)run->openTrades);
    else if (k == keys[K_ENTRY_PRICE]) tl_push_value(L, run->entryPrice);
    else if ((k == keys[K_TS] || k == keys[K_TIME]) && run->count > 0) lua_pushinteger(L, (lua_Integer)run->time[run->index]);
    else lua_pushnil(L);
    return 1;
}

// ---- indicators --------------------------------------------------------------------------------

// The magic number marks our indicators: they are the only full userdata a script can hold (the
// sandbox opens no library that makes others), and with the size check below nothing is read
// outside a userdata's memory.
#define TL_INDICATOR_MAGIC 0x54494e44u   // "TIND"
typedef struct { uint32_t magic; int column; } TLIndicator;

static const double *tl_column(lua_State *L, int column) {
    TLRun *run = tl_run(L);
    if (!run->indicators || column >= run->indicatorCount) {
        luaL_error(L, "indicator values are available in on_bar, not while on_init declares them");
    }
    return run->indicators[column];
}

// ind.value (this bar), ind[n] (n bars ago); nil during warm-up or before the first bar.
static int tl_indicator_index(lua_State *L) {
    TLIndicator *ind = (TLIndicator *)luaL_checkudata(L, 1, INDICATOR_META);
    TLRun *run = tl_run(L);
    int64_t ago;
    if (lua_type(L, 2) == LUA_TNUMBER) {
        int ok;
        ago = (int64_t)lua_tointegerx(L, 2, &ok);
        if (!ok || ago < 0) return luaL_error(L, "indicator[n]: n must be a whole number of bars ago (>= 0)");
    } else if (tl_key(L, 2) == run->keys[K_VALUE]) {
        ago = 0;
    } else {
        lua_getiuservalue(L, 1, 1);
        return luaL_error(L, "indicator '%s' has no field '%s'; use .value or [n] for n bars ago",
                          lua_tostring(L, -1), luaL_tolstring(L, 2, NULL));
    }
    const double *column = tl_column(L, ind->column);
    int64_t at = run->index - ago;
    if (at < 0) lua_pushnil(L); else tl_push_value(L, column[at]);
    return 1;
}

static int tl_indicator_tostring(lua_State *L) {
    luaL_checkudata(L, 1, INDICATOR_META);
    lua_getiuservalue(L, 1, 1);
    return 1;
}

void tl_push_indicator(lua_State *L, int column) {
    const char *name = lua_tostring(L, -1);          // caller pushed the column name
    TLIndicator *ind = (TLIndicator *)lua_newuserdatauv(L, sizeof(TLIndicator), 1);
    ind->magic = TL_INDICATOR_MAGIC;
    ind->column = column;
    lua_pushstring(L, name);
    lua_setiuservalue(L, -2, 1);
    luaL_setmetatable(L, INDICATOR_META);
    lua_remove(L, -2);                               // the name
}

// A number, or an indicator's value now and one bar ago.
static void tl_now_and_before(lua_State *L, int arg, double *now, double *before) {
    int type = lua_type(L, arg);
    if (type == LUA_TNUMBER) {
        *now = *before = lua_tonumber(L, arg);
        return;
    }
    // Checked by size and magic number rather than by metatable: this runs twice per call on
    // every bar, and the metatable check costs four more calls into Lua.
    TLIndicator *ind = NULL;
    if (type == LUA_TUSERDATA && lua_rawlen(L, arg) == sizeof(TLIndicator)) {
        TLIndicator *candidate = (TLIndicator *)lua_touserdata(L, arg);
        if (candidate->magic == TL_INDICATOR_MAGIC) ind = candidate;
    }
    if (!ind) luaL_argerror(L, arg, "expected an indicator (from ta.* in on_init) or a number");
    const double *column = tl_column(L, ind->column);
    int64_t i = tl_run(L)->index;
    *now = column[i];
    *before = i > 0 ? column[i - 1] : NAN;
}

// ta.crossover(a, b): a was below b on the previous bar and is above it now (strict, as
// backtesting.py); false while either is warming up.
static int tl_crossover(lua_State *L) {
    double a1, a0, b1, b0;
    tl_now_and_before(L, 1, &a1, &a0);
    tl_now_and_before(L, 2, &b1, &b0);
    lua_pushboolean(L, a0 < b0 && a1 > b1);
    return 1;
}

static int tl_crossunder(lua_State *L) {
    double a1, a0, b1, b0;
    tl_now_and_before(L, 1, &a1, &a0);
    tl_now_and_before(L, 2, &b1, &b0);
    lua_pushboolean(L, a0 > b0 && a1 < b1);
    return 1;
}

// ---- trade ------------------------------------------------------------------------------------

static double tl_opt_number(lua_State *L, int table, const char *field) {
    lua_getfield(L, table, field);
    double v = NAN;
    if (!lua_isnil(L, -1)) {
        int ok;
        v = lua_tonumberx(L, -1, &ok);
        if (!ok || !isfinite(v) || v <= 0) {
            luaL_error(L, "trade: option '%s' must be a positive number", field);
        }
    }
    lua_pop(L, 1);
    return v;
}

// trade.buy([fraction | {size=, qty=, cash=, sl=, tp=, sl_pct=, tp_pct=, limit=, stop=}]), same for
// sell; trade.revert(); trade.close(). Upvalue 1: the action kind.
static int tl_trade(lua_State *L) {
    TLRun *run = tl_run(L);
    int kind = (int)lua_tointeger(L, lua_upvalueindex(1));
    // Read and check everything first: a rejected call must leave no trace.
    int sizeKind = TL_SIZE_DEFAULT;
    double size = NAN, sl = NAN, tp = NAN, slf = NAN, tpf = NAN, limit = NAN, stop = NAN;
    int t = lua_type(L, 1);
    const char *name = kind == TL_BUY ? "buy" : kind == TL_SELL ? "sell" : kind == TL_REVERT ? "revert" : "close";
    if (t != LUA_TNONE && t != LUA_TNIL) {
        if (kind != TL_BUY && kind != TL_SELL) return luaL_error(L, "trade.%s takes no arguments", name);
        if (t == LUA_TNUMBER) {
            double f = lua_tonumber(L, 1);
            if (!(f > 0 && f <= 1)) {
                return luaL_error(L, "trade.%s(%f): a bare number is a fraction of equity in (0, 1]; "
                                  "use trade.%s{qty = N} or trade.%s{cash = AMOUNT}", name, f, name, name);
            }
            sizeKind = TL_SIZE_FRACTION;
            size = f;
        } else if (t == LUA_TTABLE) {
            double fraction = tl_opt_number(L, 1, "size"), qty = tl_opt_number(L, 1, "qty"), cash = tl_opt_number(L, 1, "cash");
            if (!isnan(fraction) + !isnan(qty) + !isnan(cash) > 1) return luaL_error(L, "trade.%s: give one of size, qty or cash", name);
            if (!isnan(fraction)) {
                if (fraction > 1) return luaL_error(L, "trade.%s: size is a fraction of equity in (0, 1]", name);
                sizeKind = TL_SIZE_FRACTION; size = fraction;
            } else if (!isnan(qty)) {
                sizeKind = TL_SIZE_QUANTITY; size = qty;
            } else if (!isnan(cash)) {
                sizeKind = TL_SIZE_CASH; size = cash;
            }
            sl = tl_opt_number(L, 1, "sl");
            tp = tl_opt_number(L, 1, "tp");
            slf = tl_opt_number(L, 1, "sl_pct");
            tpf = tl_opt_number(L, 1, "tp_pct");
            limit = tl_opt_number(L, 1, "limit");
            stop = tl_opt_number(L, 1, "stop");
            if (!isnan(limit) && !isnan(stop)) return luaL_error(L, "trade.%s: give limit or stop, not both", name);
        } else {
            return luaL_argerror(L, 1, "expected a fraction of equity or an options table");
        }
    }
    run->actionKind = kind;
    run->sizeKind = sizeKind;
    run->size = size;
    run->stopLoss = sl;
    run->takeProfit = tp;
    run->stopLossFraction = isnan(slf) ? NAN : slf / 100;
    run->takeProfitFraction = isnan(tpf) ? NAN : tpf / 100;
    run->limit = limit;
    run->stop = stop;
    return 0;
}

// ---- installation ------------------------------------------------------------------------------

static void tl_make_proxy(lua_State *L, lua_CFunction index, int indexUpvalues, const char *name) {
    // Expects: proxy table at -1 - indexUpvalues, upvalues on top.
    lua_createtable(L, 0, 2);                       // metatable
    lua_insert(L, -1 - indexUpvalues);
    lua_pushcclosure(L, index, indexUpvalues);
    lua_setfield(L, -2, "__index");
    lua_pushstring(L, name);
    lua_pushcclosure(L, tl_readonly, 1);
    lua_setfield(L, -2, "__newindex");
    lua_pushstring(L, name);
    lua_setfield(L, -2, "__name");
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
}

static int tl_install(lua_State *L) {
    TLRun *run = tl_run(L);
    const char *const *featureNames = (const char *const *)lua_touserdata(L, 1);
    int featureCount = (int)lua_tointeger(L, 2);
    const char *symbol = lua_tostring(L, 3);
    const char *timeframe = lua_tostring(L, 4);

    // Interned keys, kept alive in the registry.
    lua_createtable(L, K_COUNT, 0);
    for (int k = 0; k < K_COUNT; k++) {
        run->keys[k] = lua_pushstring(L, tl_key_names[k]);
        lua_rawseti(L, -2, k + 1);
    }
    lua_setfield(L, LUA_REGISTRYINDEX, "tradelab.keys");

    // Indicator metatable.
    luaL_newmetatable(L, INDICATOR_META);
    lua_pushcfunction(L, tl_indicator_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, tl_indicator_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, "indicator");
    lua_setfield(L, -2, "__name");
    lua_pushliteral(L, "locked");               // getmetatable() sees a string; setmetatable refuses
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);

    // bar: proxy with the feature map as upvalue.
    lua_newtable(L);
    lua_createtable(L, 0, featureCount);
    for (int f = 0; f < featureCount; f++) {
        lua_pushinteger(L, f);
        lua_setfield(L, -2, featureNames[f]);
    }
    tl_make_proxy(L, tl_bar_index, 1, "bar");
    run->barRef = luaL_ref(L, LUA_REGISTRYINDEX);

    // ctx: static fields and the persistent state table are plain; the rest is live.
    lua_newtable(L);
    lua_pushstring(L, symbol);
    lua_setfield(L, -2, "symbol");
    lua_pushstring(L, timeframe);
    lua_setfield(L, -2, "timeframe");
    lua_newtable(L);
    lua_setfield(L, -2, "state");
    tl_make_proxy(L, tl_ctx_index, 0, "ctx");
    run->ctxRef = luaL_ref(L, LUA_REGISTRYINDEX);

    // ta: crossover helpers (indicator constructors are added by Swift).
    lua_newtable(L);
    lua_pushcfunction(L, tl_crossover);
    lua_setfield(L, -2, "crossover");
    lua_pushcfunction(L, tl_crossunder);
    lua_setfield(L, -2, "crossunder");
    lua_setglobal(L, "ta");

    // trade.
    static const struct { const char *name; int kind; } actions[] = {
        {"buy", TL_BUY}, {"sell", TL_SELL}, {"revert", TL_REVERT}, {"close", TL_CLOSE},
    };
    lua_newtable(L);
    for (int a = 0; a < 4; a++) {
        lua_pushinteger(L, actions[a].kind);
        lua_pushcclosure(L, tl_trade, 1);
        lua_setfield(L, -2, actions[a].name);
    }
    lua_setglobal(L, "trade");
    return 0;
}

int tl_install_bindings(lua_State *L, const char *const *featureNames, int featureCount,
                        const char *symbol, const char *timeframe) {
    lua_pushcfunction(L, tl_install);
    lua_pushlightuserdata(L, (void *)featureNames);
    lua_pushinteger(L, featureCount);
    lua_pushstring(L, symbol);
    lua_pushstring(L, timeframe);
    return lua_pcall(L, 4, 0, 0);
}

// ---- the per-bar call --------------------------------------------------------------------------

static int tl_identity_handler(lua_State *L) {
    if (lua_type(L, 1) != LUA_TSTRING) {
        lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    return 1;
}

int tl_cache_on_bar(lua_State *L) {
    TLRun *run = tl_run(L);
    lua_settop(L, 0);
    lua_pushcfunction(L, tl_identity_handler);      // 1: message handler
    if (tl_rawgetglobal(L, "on_bar") != LUA_TFUNCTION) {  // 2: on_bar
        lua_settop(L, 0);
        return 0;
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, run->ctxRef);  // 3: ctx
    lua_rawgeti(L, LUA_REGISTRYINDEX, run->barRef);  // 4: bar
    return 1;
}

int tl_call_on_bar(lua_State *L) {
    TLRun *run = tl_run(L);
    run->actionKind = -1;
    lua_pushvalue(L, 2);
    lua_pushvalue(L, 3);
    lua_pushvalue(L, 4);
    if (run->instructionLimit > 0) tl_arm_instruction_budget(L, run->instructionLimit);
    run->lastStatus = lua_pcall(L, 2, 1, 1);
    if (run->lastStatus != LUA_OK) return -1;          // message at the top
    int type = lua_type(L, -1);
    if (type == LUA_TNIL) {
        lua_pop(L, 1);
        return run->actionKind >= 0 ? run->actionKind : TL_HOLD;
    }
    if (type == LUA_TSTRING) {
        const char *s = lua_tostring(L, -1);
        const char *const *keys = run->keys;
        int kind = s == keys[K_BUY] ? TL_BUY : s == keys[K_SELL] ? TL_SELL : s == keys[K_REVERT] ? TL_REVERT
                 : s == keys[K_CLOSE] ? TL_CLOSE : s == keys[K_HOLD] ? TL_HOLD : -2;
        if (kind >= 0) {
            lua_pop(L, 1);
            if (kind != run->actionKind) {           // a returned action has no options
                run->sizeKind = TL_SIZE_DEFAULT;
                run->size = run->stopLoss = run->takeProfit = run->limit = run->stop = NAN;
                run->stopLossFraction = run->takeProfitFraction = NAN;
            }
            return kind;
        }
    }
    return -2;                                        // bad return value, left at the top
}

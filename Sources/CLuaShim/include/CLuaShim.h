// C side of Tradelab's Lua runtime: the sandbox (allocator cap, hooks, safe library subset) and
// the hot strategy bindings (bar/ctx proxies, indicator reads, ta.crossover, trade.*), so that a
// bar costs one C call from Swift. Swift never raises Lua errors itself (longjmp across Swift
// frames is unsafe): every Lua-facing function lives here or returns through tl_trampoline.
#ifndef CLUASHIM_H
#define CLUASHIM_H

#include <stddef.h>
#include <stdint.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

/// Why a run was stopped by a limit.
typedef enum {
    TL_TRIP_NONE = 0,
    TL_TRIP_TIMEOUT = 1,
    TL_TRIP_CANCELLED = 2,
    TL_TRIP_INSTRUCTIONS = 3,
} TLTrip;

/// Action kinds, in the order of TradelabCore's Action.Kind.
typedef enum { TL_HOLD = 0, TL_BUY = 1, TL_SELL = 2, TL_REVERT = 3, TL_CLOSE = 4 } TLActionKind;

/// Sizing kinds for an action's explicit size.
typedef enum { TL_SIZE_DEFAULT = 0, TL_SIZE_FRACTION = 1, TL_SIZE_QUANTITY = 2, TL_SIZE_CASH = 3 } TLSizeKind;

/// Everything the C bindings read or write during a run. Owned by Swift; its address lives in the
/// state's extra space.
typedef struct TLRun {
    // Limits.
    size_t memoryUsed;
    size_t memoryLimit;
    volatile int trip;              // TLTrip, set by the watchdog (another thread) or the hook
    int64_t instructionLimit;       // 0 = unlimited (a count hook costs VM speed)

    // Bars.
    int64_t index;
    int64_t count;
    const int64_t *time;
    const double *open, *high, *low, *close, *volume;
    int featureCount;
    const double *const *features;  // featureCount columns

    // Account, refreshed before each on_bar.
    double position, cash, equity, entryPrice, realizedPnl;
    int64_t openTrades;

    // Indicator columns, filled after on_init.
    int indicatorCount;
    const double *const *indicators;

    // The action requested through trade.* during the current call.
    int actionKind;                 // TLActionKind, -1 = none
    int sizeKind;                   // TLSizeKind
    double size, stopLoss, takeProfit, limit, stop;   // NaN = not given
    double stopLossFraction, takeProfitFraction;      // NaN = not given

    // Interned keys (pointer comparison) and registry references.
    const char *keys[32];
    int onBarRef, ctxRef, barRef, tracebackRef;
    int lastStatus;                 // status of the last on_bar pcall (LUA_OK, LUA_ERRRUN, LUA_ERRMEM, ...)

    // print()/log() lines go to a Swift callback.
    void (*logLine)(void *owner, int64_t index, const char *text, size_t length);
    void *owner;
    int64_t logLines, logLimit;
} TLRun;

/// Creates a sandboxed state: capped allocator, base/string/table/math only, unsafe functions
/// removed or wrapped, math.random seeded. Returns NULL when even that does not fit in memory.
lua_State *tl_newstate(TLRun *run, uint64_t seed);

/// Compiles `text` (text mode only, never bytecode) and leaves the chunk on the stack.
/// Returns LUA_OK, or an error code with the message on the stack.
int tl_load(lua_State *L, const char *text, size_t length, const char *chunkname);

/// Calls the value below `nargs` arguments with a traceback handler; `nresults` results.
int tl_pcall(lua_State *L, int nargs, int nresults);

/// Builds the `bar` and `ctx` proxies and the `ta` / `trade` / `log` bindings. `featureNames`
/// are the extra bar fields. `ctx` gets `symbol` and `timeframe` as plain fields.
int tl_install_bindings(lua_State *L, const char *const *featureNames, int featureCount,
                        const char *symbol, const char *timeframe);

/// Pushes global `name` without metamethods (the script may have given `_G` a metatable) and
/// without the memory cap, so host code never meets a Lua error outside a protected call.
int tl_rawgetglobal(lua_State *L, const char *name);

/// Looks up global `on_bar` and caches it; returns 0 when missing.
int tl_cache_on_bar(lua_State *L);

/// Runs on_bar(ctx, bar) for run->index. Returns the action kind (>= 0), or -1 on error with the
/// message on the stack. The explicit size/levels of the action are left in `run`.
int tl_call_on_bar(lua_State *L);

/// Installs the tripping hook (safe from another thread): the next VM instruction raises the
/// limit error, and keeps raising it so pcall inside the script cannot swallow it.
void tl_trip(lua_State *L, int reason);

/// Arms the instruction budget for the next call (count hook; costs VM speed while armed).
void tl_arm_instruction_budget(lua_State *L, int64_t instructions);

/// The indicator object table for column `column` (used by ta.* in on_init via a Swift callback).
void tl_push_indicator(lua_State *L, int column);

/// Signature of the Swift function behind a trampoline: returns the number of results, or -1
/// with an error message pushed, which the trampoline raises.
typedef int (*tl_swift_function)(lua_State *L);

/// Pushes a C closure that calls `function` and raises its error, if any, from C. The `upvalues`
/// values on top of the stack become its upvalues 2...(upvalues + 1).
void tl_push_swift_function(lua_State *L, tl_swift_function function, int upvalues);

// Macros that do not import into Swift.
static inline void tl_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline const char *tl_tostring(lua_State *L, int index) { return lua_tolstring(L, index, NULL); }
static inline void tl_newtable(lua_State *L) { lua_newtable(L); }
static inline int tl_isnil(lua_State *L, int index) { return lua_isnil(L, index); }
static inline int tl_isfunction(lua_State *L, int index) { return lua_isfunction(L, index); }
static inline int tl_istable(lua_State *L, int index) { return lua_istable(L, index); }
static inline int tl_upvalueindex(int i) { return lua_upvalueindex(i); }
static inline int tl_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline TLRun *tl_run(lua_State *L) { return *(TLRun **)lua_getextraspace(L); }
static inline lua_Integer tl_tointeger(lua_State *L, int index) { return lua_tointegerx(L, index, NULL); }
static inline lua_Number tl_tonumber(lua_State *L, int index) { return lua_tonumberx(L, index, NULL); }
static inline int tl_getglobal(lua_State *L, const char *name) { return lua_getglobal(L, name); }
static inline void tl_setglobal(lua_State *L, const char *name) { lua_setglobal(L, name); }
static inline void tl_pushstring(lua_State *L, const char *s) { lua_pushstring(L, s); }

#endif

// The sandbox: capped allocator, limit hook, and the safe subset of the standard library.
#include "CLuaShim.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

// ---- Allocator: every byte is counted against run->memoryLimit. --------------------------------

static void *tl_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    TLRun *run = (TLRun *)ud;
    size_t old = ptr ? osize : 0;          // for a new block, osize encodes the object type
    if (nsize == 0) {
        free(ptr);
        run->memoryUsed -= old;
        return NULL;
    }
    if (nsize > old && run->memoryLimit && run->memoryUsed - old + nsize > run->memoryLimit) {
        return NULL;                        // Lua raises "not enough memory" (always inside a pcall)
    }
    void *block = realloc(ptr, nsize);
    if (block) run->memoryUsed = run->memoryUsed - old + nsize;
    return block;
}

// ---- Limits: the hook raises, and keeps raising, once a limit trips. ---------------------------

static const char *tl_trip_message(int reason) {
    switch (reason) {
    case TL_TRIP_TIMEOUT: return "time limit exceeded: the script ran past its wall-clock deadline";
    case TL_TRIP_CANCELLED: return "run cancelled";
    default: return "instruction limit exceeded: one call ran too many Lua instructions";
    }
}

static void tl_limit_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    TLRun *run = tl_run(L);
    if (run->trip == TL_TRIP_NONE) run->trip = TL_TRIP_INSTRUCTIONS;
    // Fire again on the very next instruction, so a pcall in the script cannot swallow the error.
    lua_sethook(L, tl_limit_hook, LUA_MASKCOUNT | LUA_MASKCALL, 1);
    // Name the script line being executed (level 0 inside a hook is the running function).
    lua_Debug d;
    if (lua_getstack(L, 0, &d) && lua_getinfo(L, "Sl", &d) && d.currentline > 0) {
        luaL_error(L, "%s:%d: %s", d.short_src, d.currentline, tl_trip_message(run->trip));
    }
    luaL_error(L, "%s", tl_trip_message(run->trip));
}

void tl_trip(lua_State *L, int reason) {
    TLRun *run = tl_run(L);
    if (run->trip == TL_TRIP_NONE) run->trip = reason;
    lua_sethook(L, tl_limit_hook, LUA_MASKCOUNT | LUA_MASKCALL, 1);
}

void tl_arm_instruction_budget(lua_State *L, int64_t instructions) {
    if (instructions > 0 && tl_run(L)->trip == TL_TRIP_NONE) {
        lua_sethook(L, tl_limit_hook, LUA_MASKCOUNT, instructions > 0x7fffffff ? 0x7fffffff : (int)instructions);
    }
}

// ---- Wrapped base functions. -------------------------------------------------------------------

// load(chunk [, name [, mode [, env]]]) with mode forced to "t": no precompiled bytecode.
static int tl_safe_load(lua_State *L) {
    int n = lua_gettop(L);
    if (n < 3) lua_settop(L, 3);
    lua_pushliteral(L, "t");
    lua_replace(L, 3);
    int args = n >= 4 ? 4 : 3;
    lua_settop(L, args);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, args, LUA_MULTRET);
    return lua_gettop(L);
}

// setmetatable refusing __gc: finalizers run with hooks off, so a looping one could not be stopped.
static int tl_safe_setmetatable(lua_State *L) {
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL) {
            return luaL_error(L, "setmetatable: __gc metamethods are not allowed in strategies");
        }
        lua_pop(L, 1);
    }
    lua_settop(L, 2);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, 2, 1);
    return 1;
}

// A message handler given to xpcall runs with hooks disabled when the error came from the limit
// hook (Lua restores hooks only at the pcall boundary), so a looping handler could never be
// stopped. Once a limit tripped, the user's handler is skipped and the error passes through.
// Upvalue 1: the user's handler.
static int tl_guarded_handler(lua_State *L) {
    if (tl_run(L)->trip != TL_TRIP_NONE) return 1;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

// xpcall(f, handler, ...) with the handler guarded. Upvalue 1: the original xpcall.
static int tl_safe_xpcall(lua_State *L) {
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, tl_guarded_handler, 1);
    lua_replace(L, 2);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

// print(...) and log(...): one line to the run's log, bounded.
static int tl_log(lua_State *L) {
    TLRun *run = tl_run(L);
    int n = lua_gettop(L);
    if (!run->logLine || run->logLines > run->logLimit) return 0;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        if (i > 1) luaL_addchar(&b, '\t');
        size_t len;
        const char *s = luaL_tolstring(L, i, &len);     // pushed above the buffer box
        if (len > 1000) {
            lua_pushlstring(L, s, 1000);
            lua_remove(L, -2);
        }
        luaL_addvalue(&b);                               // pops it into the buffer
    }
    luaL_pushresult(&b);
    size_t len;
    const char *line = lua_tolstring(L, -1, &len);
    run->logLines++;
    if (run->logLines > run->logLimit) {
        static const char truncated[] = "(log truncated: further lines dropped)";
        run->logLine(run->owner, run->index, truncated, sizeof truncated - 1);
    } else {
        run->logLine(run->owner, run->index, line, len);
    }
    return 0;
}

// ---- Pattern guard: Lua's matcher runs in C, where no hook can stop it. -----------------------

// Counts the repetitions (* + - and %b) that make backtracking costly.
static int tl_pattern_repetitions(const char *p, size_t len) {
    int k = 0;
    size_t i = (len > 0 && p[0] == '^') ? 1 : 0;
    while (i < len) {
        char c = p[i];
        if (c == '(' || c == ')') { i++; continue; }
        if (c == '%' && i + 1 < len) {
            if (p[i + 1] == 'b') { k++; i += 4; continue; }
            if (p[i + 1] == 'f') {
                i += 2;
                if (i < len && p[i] == '[') {
                    i++;
                    if (i < len && p[i] == '^') i++;
                    if (i < len && p[i] == ']') i++;
                    while (i < len && p[i] != ']') i += (p[i] == '%') ? 2 : 1;
                    i++;
                }
                continue;
            }
            i += 2;
        } else if (c == '[') {
            i++;
            if (i < len && p[i] == '^') i++;
            if (i < len && p[i] == ']') i++;
            while (i < len && p[i] != ']') i += (p[i] == '%') ? 2 : 1;
            i++;
        } else {
            i++;
        }
        if (i < len && (p[i] == '*' || p[i] == '+' || p[i] == '-' || p[i] == '?')) { k++; i++; }
    }
    return k;
}

// Upvalues: 1 = original function, 2 = its name. Refuses a subject/pattern pair whose worst-case
// work exceeds 1e8 steps: about subject^(repetitions+1) x pattern length when matching, subject x
// pattern length for a plain find.
static int tl_guarded_pattern(lua_State *L) {
    size_t slen, plen;
    const char *s = luaL_checklstring(L, 1, &slen);
    const char *p = luaL_checklstring(L, 2, &plen);
    (void)s;
    const char *name = lua_tostring(L, lua_upvalueindex(2));
    int plain = (strcmp(name, "find") == 0) && lua_toboolean(L, 4);
    if (plain) {
        if ((double)slen * (double)plen > 1e8) {
            return luaL_error(L, "string.find: a %d-byte plain search in a %d-byte subject could take too long "
                              "(sandbox limit: subject x pattern <= 1e8)", (int)plen, (int)slen);
        }
    } else {
        if (plen > 512) return luaL_error(L, "string.%s: pattern longer than 512 bytes (sandbox limit)", name);
        int k = tl_pattern_repetitions(p, plen);
        double steps = pow((double)(slen + 1), (double)(k + 1)) * (double)(plen > 0 ? plen : 1);
        if (steps > 1e8) {
            return luaL_error(L, "string.%s: a pattern with %d repetition(s) on a %d-byte subject could "
                              "take too long (sandbox limit: subject^(repetitions+1) <= 1e8)", name, k, (int)slen);
        }
    }
    int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, LUA_MULTRET);
    return lua_gettop(L);
}

// string.rep(s, n [, sep]): with s and sep both empty Lua still loops n times in C.
// Upvalue 1: the original.
static int tl_safe_rep(lua_State *L) {
    size_t l, lsep = 0;
    luaL_checklstring(L, 1, &l);
    luaL_optlstring(L, 3, "", &lsep);
    if (l + lsep == 0) {
        luaL_checkinteger(L, 2);
        lua_pushliteral(L, "");
        return 1;
    }
    int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, 1);
    return 1;
}

// table.insert/remove/move/concat/sort/unpack loop in C over a length a metamethod can fake, or a
// range the caller picks: refuse more than 1e7 elements. Upvalues: 1 = original, 2 = name.
#define TL_TABLE_LIMIT 10000000
static int tl_guarded_table_function(lua_State *L) {
    const char *name = lua_tostring(L, lua_upvalueindex(2));
    if (strcmp(name, "move") == 0) {
        lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);
        if (e >= f && (double)e - (double)f >= TL_TABLE_LIMIT) {
            return luaL_error(L, "table.move: more than %d elements (sandbox limit)", TL_TABLE_LIMIT);
        }
    } else if (lua_type(L, 1) == LUA_TTABLE) {
        lua_Integer n = luaL_len(L, 1);                 // honours __len, which runs as Lua (hooked)
        if (n > TL_TABLE_LIMIT || n < 0) {
            return luaL_error(L, "table.%s: a table of %I elements exceeds the sandbox limit of %d", name, n, TL_TABLE_LIMIT);
        }
    }
    int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, LUA_MULTRET);
    return lua_gettop(L);
}

static void tl_guard_table_function(lua_State *L, const char *name) {
    lua_getfield(L, -1, name);
    lua_pushstring(L, name);
    lua_pushcclosure(L, tl_guarded_table_function, 2);
    lua_setfield(L, -2, name);
}

static void tl_guard_string_function(lua_State *L, const char *name) {
    lua_getfield(L, -1, name);              // string table at -2, original at -1
    lua_pushstring(L, name);
    lua_pushcclosure(L, tl_guarded_pattern, 2);
    lua_setfield(L, -2, name);
}

static void tl_wrap_global(lua_State *L, const char *name, lua_CFunction wrapper) {
    lua_getglobal(L, name);
    lua_pushcclosure(L, wrapper, 1);
    lua_setglobal(L, name);
}

// Opens and trims the libraries; runs inside lua_pcall so an allocation failure is an error,
// not an abort.
static int tl_open_sandbox(lua_State *L) {
    uint64_t seed = (uint64_t)lua_tointeger(L, 1);
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    lua_settop(L, 0);

    static const char *const removed[] = {"dofile", "loadfile", "require", "collectgarbage", "warn", "print", NULL};
    for (const char *const *name = removed; *name; name++) {
        lua_pushnil(L);
        lua_setglobal(L, *name);
    }
    tl_wrap_global(L, "load", tl_safe_load);
    tl_wrap_global(L, "setmetatable", tl_safe_setmetatable);
    tl_wrap_global(L, "xpcall", tl_safe_xpcall);
    lua_pushcfunction(L, tl_log);
    lua_setglobal(L, "print");
    lua_pushcfunction(L, tl_log);
    lua_setglobal(L, "log");

    lua_getglobal(L, LUA_STRLIBNAME);
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    tl_guard_string_function(L, "find");
    tl_guard_string_function(L, "match");
    tl_guard_string_function(L, "gmatch");
    tl_guard_string_function(L, "gsub");
    lua_getfield(L, -1, "rep");
    lua_pushcclosure(L, tl_safe_rep, 1);
    lua_setfield(L, -2, "rep");
    lua_pop(L, 1);

    lua_getglobal(L, LUA_TABLIBNAME);
    static const char *const tableFunctions[] = {"insert", "remove", "move", "concat", "sort", "unpack", NULL};
    for (const char *const *name = tableFunctions; *name; name++) tl_guard_table_function(L, *name);
    lua_pop(L, 1);

    // Reproducible randomness: math.randomseed(seed).
    lua_getglobal(L, LUA_MATHLIBNAME);
    lua_getfield(L, -1, "randomseed");
    lua_pushinteger(L, (lua_Integer)seed);
    lua_call(L, 1, 0);
    lua_pop(L, 1);
    return 0;
}

lua_State *tl_newstate(TLRun *run, uint64_t seed) {
    lua_State *L = lua_newstate(tl_alloc, run);
    if (!L) return NULL;
    *(TLRun **)lua_getextraspace(L) = run;
    lua_pushcfunction(L, tl_open_sandbox);
    lua_pushinteger(L, (lua_Integer)seed);
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
        lua_close(L);
        return NULL;
    }
    return L;
}

int tl_load(lua_State *L, const char *text, size_t length, const char *chunkname) {
    return luaL_loadbufferx(L, text, length, chunkname, "t");
}

// Message handler: make every error a string ("(error object is a table value)" otherwise).
static int tl_message_handler(lua_State *L) {
    if (lua_type(L, 1) != LUA_TSTRING) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
        lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    return 1;
}

int tl_pcall(lua_State *L, int nargs, int nresults) {
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, tl_message_handler);
    lua_insert(L, base);
    tl_arm_instruction_budget(L, tl_run(L)->instructionLimit);
    int status = lua_pcall(L, nargs, nresults, base);
    lua_remove(L, base);
    return status;
}

// ---- Swift functions behind a C trampoline. ------------------------------------------------------

static int tl_trampoline(lua_State *L) {
    TLRun *run = tl_run(L);
    tl_swift_function function = (tl_swift_function)lua_touserdata(L, lua_upvalueindex(1));
    // No Lua error may unwind Swift frames: lift the memory cap while Swift pushes its results
    // (the callbacks bound what they allocate), then enforce it here, in C.
    size_t limit = run->memoryLimit;
    run->memoryLimit = 0;
    int results = function(L);
    run->memoryLimit = limit;
    if (limit && run->memoryUsed > limit) {
        lua_settop(L, 0);
        return luaL_error(L, "not enough memory (the script's memory limit was reached)");
    }
    if (results < 0) return lua_error(L);   // raised from C, never across Swift frames
    return results;
}

int tl_rawgetglobal(lua_State *L, const char *name) {
    TLRun *run = tl_run(L);
    size_t limit = run->memoryLimit;
    run->memoryLimit = 0;                    // host access: no memory error outside a pcall
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    lua_pushstring(L, name);
    int type = lua_rawget(L, -2);
    lua_remove(L, -2);
    run->memoryLimit = limit;
    return type;
}

void tl_push_swift_function(lua_State *L, tl_swift_function function, int upvalues) {
    lua_pushlightuserdata(L, (void *)function);
    lua_insert(L, -1 - upvalues);
    lua_pushcclosure(L, tl_trampoline, upvalues + 1);
}

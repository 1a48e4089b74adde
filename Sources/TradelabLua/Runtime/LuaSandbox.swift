import CLua
import CLuaShim
import TradelabCore

/// One line written by the script's print() or log().
public struct LuaLogLine: Sendable, Equatable, Codable {
    /// The bar being processed when it was written.
    public var bar: Int
    /// The text (arguments joined by tabs, each cut at 1,000 bytes).
    public var text: String
}

/// A sandboxed Lua 5.4 state: only base, string, table and math; no file, OS, package or debug
/// access; `load` for text only; no `__gc` finalizers; pattern matching bounded; memory capped;
/// a wall-clock deadline and cancellation enforced by the ``Watchdog``; an optional per-call
/// instruction budget. A state whose limit tripped keeps failing and must be discarded.
///
/// ```swift
/// let sandbox = try LuaSandbox(limits: LuaLimits(memoryBytes: 8 << 20, timeLimit: 1))
/// try sandbox.execute("x = 1 + 1")
/// ```
public final class LuaSandbox: @unchecked Sendable {
    /// The Lua state.
    let state: OpaquePointer
    /// The C-side run record (limits, bar pointers, account, indicator columns).
    let run: UnsafeMutablePointer<TLRun>
    /// Name used in messages: "name:LINE: ...".
    public let chunkName: String
    /// The limits.
    public let limits: LuaLimits
    /// Lines written by print()/log(), at most ``LuaLimits/logLines`` (+1 truncation note).
    public private(set) var log: [LuaLogLine] = []
    /// Indicators declared by `ta.*` (strategy runs only).
    var indicators: IndicatorRegistry?
    /// The latest calls of a lifecycle-style strategy (at most ``LuaLimits/logLines``).
    public private(set) var logic: [LogicLogEntry] = []
    /// Entries dropped from the front of ``logic`` to keep it bounded.
    public private(set) var logicDropped = 0

    /// Creates a sandboxed state.
    /// - Parameters:
    ///   - limits: Memory, time, instruction and log limits.
    ///   - seed: Seed of `math.random`, so runs are reproducible.
    ///   - chunkName: The script's name in error messages.
    ///   - cancellation: Cancels this sandbox with others (see ``LuaCancellation``).
    /// - Throws: ``LuaError`` when the state cannot be created within the memory limit.
    public init(limits: LuaLimits = LuaLimits(), seed: UInt64 = 0, chunkName: String = "strategy.lua",
                cancellation: LuaCancellation? = nil) throws(LuaError) {
        let run = UnsafeMutablePointer<TLRun>.allocate(capacity: 1)
        run.initialize(to: TLRun())
        run.pointee.memoryLimit = max(1 << 16, limits.memoryBytes)
        run.pointee.instructionLimit = Int64(max(0, limits.instructionsPerCall))
        run.pointee.logLimit = Int64(max(0, limits.logLines))
        run.pointee.actionKind = -1
        guard let state = tl_newstate(run, seed) else {
            run.deallocate()
            throw LuaError(.memory, "cannot create a Lua state within \(limits.memoryBytes) bytes")
        }
        self.state = state
        self.run = run
        self.chunkName = chunkName
        self.limits = limits
        run.pointee.owner = Unmanaged.passUnretained(self).toOpaque()
        run.pointee.logLine = { owner, bar, text, length in
            guard let owner, let text else { return }
            let sandbox = Unmanaged<LuaSandbox>.fromOpaque(owner).takeUnretainedValue()
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), count: length)
            sandbox.log.append(LuaLogLine(bar: Int(bar), text: String(decoding: bytes, as: UTF8.self)))
        }
        Watchdog.shared.register(self, state: state, deadline: Watchdog.now() + limits.timeLimit, group: cancellation)
    }

    deinit {
        Watchdog.shared.unregister(self)
        lua_close(state)
        run.deallocate()
    }

    /// The sandbox that owns `state` (for Swift functions called from Lua).
    static func owner(of state: OpaquePointer) -> LuaSandbox {
        Unmanaged<LuaSandbox>.fromOpaque(tl_run(state).pointee.owner).takeUnretainedValue()
    }

    /// Appends to the logic log, dropping the oldest entry beyond the bound.
    func appendLogic(_ entry: LogicLogEntry) {
        if logic.count >= max(1, limits.logLines) {
            logic.removeFirst(logic.count / 2)          // amortized: drop half at once
            logicDropped += logic.count
        }
        logic.append(entry)
    }

    /// Bytes currently allocated by the state.
    public var memoryUsed: Int { run.pointee.memoryUsed }

    /// Moves the time limit's deadline `seconds` later, e.g. by the time a run spent paused.
    public func postponeDeadline(by seconds: Double) {
        Watchdog.shared.postpone(self, by: seconds)
    }

    /// Stops the script as soon as possible: its next instruction raises "run cancelled".
    public func cancel() {
        Watchdog.shared.cancel(self)
    }

    /// Compiles `source` as text (never bytecode) and runs its top level.
    /// - Parameter chunkName: Name in messages (default: the sandbox's ``chunkName``).
    /// - Throws: ``LuaError`` (`.syntax` for a compile error, or the failure of the run).
    public func execute(_ source: String, chunkName: String? = nil) throws(LuaError) {
        try execute(source, chunkName: chunkName) { _ in 0 }
    }

    /// Compiles `source` and runs it with the arguments `pushArguments` pushes (it returns their count).
    func execute(_ source: String, chunkName: String?, pushArguments: (OpaquePointer) -> Int32) throws(LuaError) {
        var text = source
        let name = "=" + (chunkName ?? self.chunkName)
        let status = text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                tl_load(state, chars.baseAddress, chars.count, name)
            }
        }
        if status != LUA_OK { throw popError(status) }
        try call(arguments: pushArguments(state), results: 0)
    }

    /// Calls the function below `arguments` values on the stack, under the limits.
    /// - Throws: ``LuaError`` for the failure; the stack is left as before the function was pushed.
    func call(arguments: Int32, results: Int32) throws(LuaError) {
        let status = tl_pcall(state, arguments, results)
        if status != LUA_OK { throw popError(status) }
    }

    /// Whether global `name` is a function.
    public func hasFunction(_ name: String) -> Bool {
        let type = tl_rawgetglobal(state, name)     // no metamethods, no memory error: host code runs unprotected
        tl_pop(state, 1)
        return type == LUA_TFUNCTION
    }

    /// Sets global `name` to a table of numbers (e.g. `params`).
    public func setGlobal(_ name: String, numbers: [String: Double]) throws(LuaError) {
        lua_checkstack(state, 4)
        lua_createtable(state, 0, Int32(numbers.count))
        for (key, value) in numbers.sorted(by: { $0.key < $1.key }) {
            if value == value.rounded(), abs(value) < 1e15 { lua_pushinteger(state, lua_Integer(value)) } else { lua_pushnumber(state, value) }
            lua_setfield(state, -2, key)
        }
        tl_setglobal(state, name)
    }

    /// Pops the error message left by a failed call and classifies it.
    func popError(_ status: Int32) -> LuaError {
        let message = tl_tostring(state, -1).map { String(cString: $0) } ?? "unknown error"
        tl_pop(state, 1)
        return classify(status: status, message: message)
    }

    /// The error kind for a failure: a tripped limit first, then Lua's status.
    func classify(status: Int32, message: String) -> LuaError {
        switch Int(run.pointee.trip) {
        case Int(TL_TRIP_TIMEOUT.rawValue):
            return LuaError(.timeout, message + " (\(formatNumber(limits.timeLimit)) s)", chunk: chunkName)
        case Int(TL_TRIP_CANCELLED.rawValue):
            return LuaError(.cancelled, message, chunk: chunkName)
        case Int(TL_TRIP_INSTRUCTIONS.rawValue):
            return LuaError(.instructions, message + " (\(limits.instructionsPerCall) per call)", chunk: chunkName)
        default:
            break
        }
        switch status {
        case LUA_ERRSYNTAX: return LuaError(.syntax, message, chunk: chunkName)
        case _ where message.contains("not enough memory"): return LuaError(.memory, "\(chunkName): the script used more than \(limits.memoryBytes >> 20) MiB", chunk: chunkName)
        case LUA_ERRMEM: return LuaError(.memory, "\(chunkName): the script used more than \(limits.memoryBytes >> 20) MiB", chunk: chunkName)
        default: return LuaError(.runtime, message, chunk: chunkName)
        }
    }
}

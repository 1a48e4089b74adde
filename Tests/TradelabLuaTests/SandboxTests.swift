import Foundation
import Testing
@testable import TradelabLua

/// Attacks a hostile script may try. Each must end with a clear LuaError, and the host process
/// must survive and stay usable.
@Suite struct SandboxTests {
    func run(_ script: String, limits: LuaLimits = LuaLimits(memoryBytes: 16 << 20, timeLimit: 2)) throws(LuaError) {
        let sandbox = try LuaSandbox(limits: limits, chunkName: "attack.lua")
        try sandbox.execute(script)
    }

    func expectFailure(_ script: String, kind: LuaError.Kind, containing text: String,
                       limits: LuaLimits = LuaLimits(memoryBytes: 16 << 20, timeLimit: 2)) {
        do {
            try run(script, limits: limits)
            Issue.record("the script ran to completion: \(script)")
        } catch {
            #expect(error.kind == kind, "\(error)")
            #expect(error.description.contains(text), "\(error)")
        }
    }

    @Test func memoryBombHitsTheCap() {
        expectFailure("local t = {} for i = 1, 1e9 do t[i] = string.rep('x', 1000) .. i end", kind: .memory, containing: "MiB")
    }

    @Test func hugeStringRepHitsTheCap() {
        expectFailure("local s = string.rep('x', 1 << 30)", kind: .memory, containing: "MiB")
    }

    @Test func infiniteLoopHitsTheDeadline() {
        let start = Date()
        expectFailure("while true do end", kind: .timeout, containing: "attack.lua:1: time limit exceeded",
                      limits: LuaLimits(timeLimit: 0.2))
        #expect(Date().timeIntervalSince(start) < 2)
    }

    @Test func loopInsidePcallCannotSwallowTheTimeout() {
        let script = """
        local n = 0
        while true do
          local ok, err = pcall(function() while true do end end)
          n = n + 1
        end
        """
        expectFailure(script, kind: .timeout, containing: "time limit exceeded", limits: LuaLimits(timeLimit: 0.2))
    }

    @Test func errorHandlerLoopsCannotSwallowTheTimeoutEither() {
        let script = "while true do xpcall(function() while true do end end, function() while true do end end) end"
        expectFailure(script, kind: .timeout, containing: "time limit exceeded", limits: LuaLimits(timeLimit: 0.2))
    }

    @Test(arguments: [
        "error(setmetatable({}, {__tostring = function() while true do end end}))",
        "table.sort({3, 2, 1, 5, 4}, function(a, b) while true do end end)",
        "load(function() while true do end end)",
        "string.gsub('aaa', 'a', function() while true do end end)",
    ])
    func callbacksRunByTheLibraryAreStillTimed(script: String) {
        expectFailure(script, kind: .timeout, containing: "time limit exceeded", limits: LuaLimits(timeLimit: 0.2))
    }

    @Test func unboundedRecursionEndsWithAnError() {
        do {
            try run("local function f(n) return f(n + 1) + 1 end f(1)")
            Issue.record("recursion completed")
        } catch {
            #expect(error.kind == .runtime || error.kind == .memory, "\(error)")
        }
    }

    @Test func instructionBudgetStopsALongCall() {
        expectFailure("for i = 1, 1e9 do end", kind: .instructions, containing: "instruction limit",
                      limits: LuaLimits(timeLimit: 5, instructionsPerCall: 100_000))
    }

    @Test func cancellationStopsARunningScript() throws {
        let sandbox = try LuaSandbox(limits: LuaLimits(timeLimit: 10), chunkName: "attack.lua")
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.1) { sandbox.cancel() }
        #expect(throws: LuaError.self) { try sandbox.execute("while true do end") }
        do { try sandbox.execute("x = 1") } catch { #expect(error.kind == .cancelled) }
    }

    @Test func aSharedCancellationStopsEverySandboxRunningOrYetToBeMade() throws {
        let cancellation = LuaCancellation()
        let other = try LuaSandbox(limits: LuaLimits(timeLimit: 10), chunkName: "other.lua")   // not in the group
        let sandboxes = try (0..<2).map { _ in try LuaSandbox(limits: LuaLimits(timeLimit: 10), chunkName: "loop.lua", cancellation: cancellation) }
        let start = Date()
        // A thread of its own: the loops below may hold every thread of the global queue.
        Thread.detachNewThread { Thread.sleep(forTimeInterval: 0.1); cancellation.cancel() }
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            do throws(LuaError) { try sandboxes[k].execute("while true do end") } catch { #expect(error.kind == .cancelled) }
        }
        #expect(Date().timeIntervalSince(start) < 5 && cancellation.isCancelled)
        try other.execute("x = 1")
        let later = try LuaSandbox(limits: LuaLimits(timeLimit: 10), chunkName: "later.lua", cancellation: cancellation)
        #expect(throws: LuaError.self) { try later.execute("x = 1") }
    }

    @Test func gcMetamethodIsRefused() {
        expectFailure("setmetatable({}, {__gc = function() while true do end end})", kind: .runtime, containing: "__gc")
    }

    @Test(arguments: [
        "string.rep('a', 30000):match('.-.-.-.-b')",
        "string.find(string.rep('a', 5000), '(.-)*(.-)*b')",
        "for w in string.gmatch(string.rep('a', 20000), 'a*a*b') do end",
        "string.gsub(string.rep('x', 4000), '.-.-y', '')",
    ])
    func pathologicalPatternIsRefused(script: String) {
        let start = Date()
        expectFailure(script, kind: .runtime, containing: "could take too long")
        #expect(Date().timeIntervalSince(start) < 1)
    }

    @Test func ordinaryPatternsStillWork() throws {
        let sandbox = try LuaSandbox(chunkName: "ok.lua")
        try sandbox.execute("""
        assert(("BTCUSDT"):match("^(%u+)USDT$") == "BTC")
        assert(select(2, ("a,b,c"):gsub(",", ";")) == 2)
        assert(("x = 1"):find("=", 1, true) == 3)
        """)
    }

    @Test(arguments: ["io", "os", "package", "debug", "require", "dofile", "loadfile", "collectgarbage", "coroutine", "utf8"])
    func dangerousGlobalsAreAbsent(name: String) throws {
        try run("assert(\(name) == nil, '\(name) is reachable')")
    }

    @Test func stringDumpIsAbsentAndBinaryChunksAreRefused() {
        expectFailure("local f = load('\\27Lua\\x54\\0', 'x', 'b') assert(f, 'refused') ", kind: .runtime, containing: "refused")
        expectFailure("assert(string.dump == nil) local f = assert(load('\\27LuaT\\0\\25'))", kind: .runtime, containing: "binary chunk")
    }

    @Test func textLoadStillWorksWithAndWithoutEnvironment() throws {
        try run("assert(load('return 1 + 1')() == 2) assert(load('return x', 'c', 't', {x = 5})() == 5)")
    }

    @Test func bytecodeScriptIsRefused() {
        do {
            let sandbox = try LuaSandbox(chunkName: "b.lua")
            try sandbox.execute("\u{1B}Lua\u{54}\u{0}")
            Issue.record("binary chunk accepted")
        } catch {
            #expect(error.kind == .syntax && error.description.contains("binary chunk"))
        }
    }

    @Test func mathRandomIsSeededPerRun() throws {
        func draw(_ seed: UInt64) throws -> String {
            let sandbox = try LuaSandbox(seed: seed, chunkName: "r.lua")
            try sandbox.execute("print(math.random(1, 1000000), math.random())")
            return sandbox.log[0].text
        }
        #expect(try draw(7) == draw(7))
        #expect(try draw(7) != draw(8))
    }

    // Attacks found in review: each once hung past the deadline, crashed the host or escaped the cap.
    @Test(arguments: [
        ("local s = string.rep('', 1 << 60)", LuaError.Kind?.none, ""),
        ("table.move({}, 1, 1 << 50, 2)", .runtime, "sandbox limit"),
        ("local t = setmetatable({}, {__len = function() return 1 << 50 end, __index = {}, __newindex = {}}) table.insert(t, 1, 0)", .runtime, "sandbox limit"),
        ("string.find(('a'):rep(40), ('a?'):rep(40) .. ('a'):rep(40))", .runtime, "could take too long"),
        ("string.find(('a'):rep(6e6), ('a'):rep(500) .. 'b()')", .runtime, "could take too long"),
        ("string.find(('a'):rep(6e6), ('a'):rep(3e6) .. 'b', 1, true)", .runtime, "could take too long"),
        ("local s = ('x'):rep(900) print(s, s, s, s)", nil, ""),
        ("setmetatable(_G, {__index = function(t, k) error('boom') end})", nil, ""),
    ])
    func reviewedAttacksEndCleanly(script: String, kind: LuaError.Kind?, text: String) {
        let start = Date()
        do {
            try run(script, limits: LuaLimits(memoryBytes: 64 << 20, timeLimit: 2))
            #expect(kind == nil, "ran to completion: \(script)")
        } catch {
            #expect(error.kind == kind, "\(error)")
            #expect(error.description.contains(text), "\(error)")
        }
        #expect(Date().timeIntervalSince(start) < 1.5)
    }

    @Test func longLogLinesAreKeptWhole() throws {
        let sandbox = try LuaSandbox(chunkName: "log.lua")
        try sandbox.execute("local s = ('x'):rep(900) print(s, s, s)")
        #expect(sandbox.log.first?.text.count == 3 * 900 + 2)
    }

    @Test func theHostSurvivesEveryAttackAndKeepsWorking() throws {
        // After all of the above (run in this process), a fresh sandbox still works.
        let sandbox = try LuaSandbox(chunkName: "after.lua")
        try sandbox.execute("x = 0 for i = 1, 1000 do x = x + i end assert(x == 500500)")
        #expect(sandbox.memoryUsed > 0 && sandbox.memoryUsed < 1 << 20)
    }
}

/// A script's bytes and tokens, with the bracket pairs and the functions the checks need.
/// Immutable; a class so the rules share one copy (no array retains per access in debug builds).
final class LuaSource {
    /// The UTF-8 bytes.
    let bytes: [UInt8]
    /// Code tokens (comments are in ``comments``).
    let tokens: [LuaToken]
    /// Comments, in order.
    let comments: [LuaToken]
    /// UTF-8 offset of each line's start; index 0 is line 1.
    let lineStarts: [Int]
    /// For each `(`, `[`, `{` the index of its closing token and the reverse; -1 when unmatched
    /// or not a bracket.
    let partner: [Int32]
    /// Every `function` in the script, in source order.
    let functions: [LuaFunction]
    /// For each token, the index in ``functions`` of the innermost function whose parameters or
    /// body hold it; -1 for the main chunk.
    let owner: [Int32]

    init(_ text: String) {
        bytes = Array(text.utf8)
        let lexer = LuaLexer(bytes)
        tokens = lexer.tokens
        comments = lexer.comments
        lineStarts = lexer.lineStarts
        let partner = Self.pairBrackets(lexer.tokens)
        self.partner = partner
        (functions, owner) = Self.findFunctions(lexer.tokens, partner: partner)
    }

    /// Number of tokens.
    var count: Int { tokens.count }

    /// The token at `index`, or nil out of bounds.
    @inline(__always)
    subscript(_ index: Int) -> LuaToken? { index >= 0 && index < tokens.count ? tokens[index] : nil }

    /// 1-based column of a UTF-8 offset on `line`, counting Unicode scalars.
    func column(of offset: Int, line: Int) -> Int {
        let start = lineStarts[min(max(line, 1), lineStarts.count) - 1]
        guard offset > start else { return 1 }
        var column = 1
        for k in start..<min(offset, bytes.count) where bytes[k] & 0xC0 != 0x80 { column += 1 }
        return column
    }

    /// 1-based column of a token.
    func column(of token: LuaToken) -> Int { column(of: token.start, line: token.line) }

    /// The text of 1-based `line`, without its line break.
    func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : bytes.count
        while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The outermost function holding token `index` (the callback a helper is nested in), or nil
    /// in the main chunk.
    func topFunction(of index: Int) -> LuaFunction? {
        var f = Int(owner[index])
        guard f >= 0 else { return nil }
        while functions[f].parent >= 0 { f = functions[f].parent }
        return functions[f]
    }

    /// Whether token `index` starts an expression of its own: a name not following `.`, `:` or
    /// `goto`/`::` (so `x.bar` and `obj:bar` are not the variable `bar`).
    func isFreeName(_ index: Int) -> Bool {
        guard tokens[index].kind == .name else { return false }
        guard let previous = self[index - 1] else { return true }
        return !(previous.is(".") || previous.is(":") || previous.is("::") || previous.is("goto"))
    }

    /// The dotted names starting at `index` (`ctx.state.count` -> ["ctx", "state", "count"]) and
    /// the index of the last name token.
    func chain(at index: Int) -> (names: [String], last: Int) {
        var names = [tokens[index].text]
        var k = index
        while k + 2 < tokens.count, tokens[k + 1].is("."), tokens[k + 2].kind == .name {
            names.append(tokens[k + 2].text)
            k += 2
        }
        return (names, k)
    }

    /// Indices of the arguments of the call whose `(` is at `open`: each a token range, split at
    /// the commas outside nested brackets. Empty for `()`.
    func arguments(open: Int) -> [Range<Int>] {
        let close = Int(partner[open])
        guard close > open + 1 else { return [] }
        var result: [Range<Int>] = []
        var start = open + 1
        var k = open + 1
        while k < close {
            let t = tokens[k]
            if t.kind == .symbol, t.text == "(" || t.text == "[" || t.text == "{", partner[k] > k {
                k = Int(partner[k]) + 1
                continue
            }
            if t.is(",") {
                result.append(start..<k)
                start = k + 1
            }
            k += 1
        }
        result.append(start..<close)
        return result
    }

    /// The numeric value of a literal argument (`20`, `-1.5`), else nil.
    func literalNumber(_ range: Range<Int>) -> (value: Double, text: String)? {
        if range.count == 1, tokens[range.lowerBound].kind == .number, let v = tokens[range.lowerBound].number {
            return (v, tokens[range.lowerBound].text)
        }
        if range.count == 2, tokens[range.lowerBound].is("-"), tokens[range.lowerBound + 1].kind == .number,
           let v = tokens[range.lowerBound + 1].number {
            return (-v, "-" + tokens[range.lowerBound + 1].text)
        }
        return nil
    }

    /// The contents of a string-literal argument, else nil.
    func literalString(_ range: Range<Int>) -> String? {
        range.count == 1 && tokens[range.lowerBound].kind == .string ? tokens[range.lowerBound].text : nil
    }

    // MARK: Structure

    private static func pairBrackets(_ tokens: [LuaToken]) -> [Int32] {
        var partner = [Int32](repeating: -1, count: tokens.count)
        var stack: [Int] = []
        for (k, t) in tokens.enumerated() where t.kind == .symbol && t.text.utf8.count == 1 {
            switch t.text {
            case "(", "[", "{":
                stack.append(k)
            case ")", "]", "}":
                let opener = t.text == ")" ? "(" : t.text == "]" ? "[" : "{"
                // Pop to the matching opener among the last few (tolerates malformed text while
                // staying linear on adversarial input such as 100,000 '[' then 100,000 ')').
                if let m = stack.indices.reversed().prefix(8).first(where: { tokens[stack[$0]].text == opener }) {
                    partner[stack[m]] = Int32(k)
                    partner[k] = Int32(stack[m])
                    stack.removeSubrange(m...)
                }
            default:
                break
            }
        }
        return partner
    }

    /// Finds every function and the innermost one around each token. Blocks are counted as Lua
    /// nests them: `function`, `do`, `if` and `repeat` open one (`while` and `for` through their
    /// `do`), `end` and `until` close one.
    private static func findFunctions(_ tokens: [LuaToken], partner: [Int32]) -> ([LuaFunction], [Int32]) {
        var functions: [LuaFunction] = []
        var owner = [Int32](repeating: -1, count: tokens.count)
        // Each open block: the function it belongs to (-1 for non-function blocks).
        var blocks: [Int] = []
        var current = -1
        var k = 0
        while k < tokens.count {
            let t = tokens[k]
            owner[k] = Int32(current)
            guard t.kind == .keyword else { k += 1; continue }
            switch t.text {
            case "function":
                var f = LuaFunction(keyword: k, parent: current)
                describe(&f, tokens: tokens, partner: partner)
                // Name tokens belong to the enclosing scope; the rest to the new function.
                for n in (k + 1)..<max(k + 1, f.parametersOpen) where n < tokens.count { owner[n] = Int32(current) }
                functions.append(f)
                current = functions.count - 1
                blocks.append(current)
                k = max(k + 1, f.parametersOpen)
                continue
            case "do", "if", "repeat":
                blocks.append(-1)
            case "end", "until":
                if let block = blocks.popLast(), block >= 0 {
                    functions[block].endToken = k
                    current = functions[block].parent
                }
            default:
                break
            }
            k += 1
        }
        return (functions, owner)
    }

    /// Reads the name, the `local`-ness and the parameters of the function at `f.keyword`.
    private static func describe(_ f: inout LuaFunction, tokens: [LuaToken], partner: [Int32]) {
        let k = f.keyword
        var n = k + 1
        if n < tokens.count, tokens[n].kind == .name {
            // function a.b:c(...)  /  local function name(...)
            var parts = [tokens[n].text]
            var separators: [String] = []
            while n + 2 < tokens.count, tokens[n + 1].is(".") || tokens[n + 1].is(":"), tokens[n + 2].kind == .name {
                separators.append(tokens[n + 1].text)
                parts.append(tokens[n + 2].text)
                n += 2
            }
            f.name = zip(parts, [""] + separators).map { $1 + $0 }.joined()
            f.isLocal = k > 0 && tokens[k - 1].is("local")
            n += 1
        } else if k >= 2, tokens[k - 1].is("="), tokens[k - 2].kind == .name,
                  k < 3 || !(tokens[k - 3].is(".") || tokens[k - 3].is(":") || tokens[k - 3].is(",")) {
            // name = function(...)  /  local name = function(...)
            f.name = tokens[k - 2].text
            f.isLocal = k >= 3 && tokens[k - 3].is("local")
            f.isAssigned = true
        }
        f.parametersOpen = n
        if n < tokens.count, tokens[n].is("("), partner[n] > n {
            for p in (n + 1)..<Int(partner[n]) where tokens[p].kind == .name { f.parameters.append(tokens[p].text) }
        }
    }
}

/// A `function` in a script.
struct LuaFunction: Sendable, Equatable {
    /// Index of the `function` keyword.
    var keyword: Int
    /// Index of the enclosing function in ``LuaSource/functions``, -1 at the top level.
    var parent: Int
    /// `on_bar`, `M.helper`, `obj:method`; nil for an anonymous function.
    var name: String?
    /// `local function f` or `local f = function`.
    var isLocal = false
    /// Written as `name = function(...)`.
    var isAssigned = false
    /// Parameter names (`...` is left out).
    var parameters: [String] = []
    /// Index of the token after the name (the `(` of the parameters in valid code).
    var parametersOpen = 0
    /// Index of the closing `end`; -1 if missing.
    var endToken = -1

    init(keyword: Int, parent: Int) {
        self.keyword = keyword
        self.parent = parent
    }

    /// Whether this is defined outside every other function.
    var isTopLevel: Bool { parent < 0 }
}

import Testing
@testable import TradelabLua

@Suite struct ValidationLexerTests {
    func tokens(_ text: String) -> [LuaToken] { LuaLexer(Array(text.utf8)).tokens }

    @Test func longStringsRunToTheirOwnLevelOfBrackets() {
        let t = tokens("local s = [==[ a ]] b ]=] c ]==] x")
        #expect(t.map(\.kind) == [.keyword, .name, .symbol, .string, .name])
        #expect(t[3].text == " a ]] b ]=] c ")
        #expect(t[4].text == "x")
    }

    @Test func commentsAreKeptApartAndCountLines() {
        let lexer = LuaLexer(Array("a --[[ one\ntwo ]] b -- rest ta.ema(1)\nc --[=[\n]=]\nd".utf8))
        #expect(lexer.tokens.map(\.text) == ["a", "b", "c", "d"])
        #expect(lexer.tokens.map(\.line) == [1, 2, 3, 5])
        #expect(lexer.comments.map(\.text) == [" one\ntwo ", " rest ta.ema(1)", ""])
    }

    @Test func shortStringsHandleEscapesAndContinuations() {
        let t = tokens(#"x = "a\"b" .. 'it\'s' .. "line\z"# + "\n   next\" y")
        #expect(t.filter { $0.kind == .string }.map(\.text) == [#"a\"b"#, #"it\'s"#, "line\\z\n   next"])
        // An unfinished string stops at the line break.
        let u = tokens("s = \"abc\ny = 1")
        #expect(u.map(\.text) == ["s", "=", "abc", "y", "=", "1"])
        #expect(u[3].line == 2)
    }

    @Test func numbersAsLuaReadsThem() {
        let t = tokens("3 3.0 .5 1e3 2E-2 0x10 0xA.8p1 12abc")
        #expect(t.map(\.text) == ["3", "3.0", ".5", "1e3", "2E-2", "0x10", "0xA.8p1", "12abc"])
        #expect(t.map(\.number) == [3, 3, 0.5, 1000, 0.02, 16, nil, nil])
    }

    @Test func symbolsLongestFirst() {
        let t = tokens("a...b..c==d~=e<=f>=g//h::i<<j>>k.l")
        #expect(t.filter { $0.kind == .symbol }.map(\.text) == ["...", "..", "==", "~=", "<=", ">=", "//", "::", "<<", ">>", "."])
    }

    @Test func everyKindOfLineBreakCountsOnce() {
        let t = tokens("a\r\nb\rc\nd\n\re")
        #expect(t.map(\.line) == [1, 2, 3, 4, 5])
    }

    @Test func columnsCountCharactersNotBytes() {
        let source = LuaSource("s = \"héllo\" x")
        let x = try! #require(source.tokens.last)
        #expect(source.column(of: x) == 13)
    }

    @Test func functionsKnowTheirNamesParametersAndExtent() {
        let source = LuaSource("""
        function on_bar(ctx, b)
          local function helper(x) return x end
          if ctx then do end end
        end
        local on_init = function(c) end
        function M.a.b:c(...) end
        """)
        #expect(source.functions.map(\.name) == ["on_bar", "helper", "on_init", "M.a.b:c"])
        #expect(source.functions.map(\.isTopLevel) == [true, false, true, true])
        #expect(source.functions.map(\.isLocal) == [false, true, true, false])
        #expect(source.functions[0].parameters == ["ctx", "b"])
        #expect(source.tokens[source.functions[0].endToken].line == 4)
        let x = source.tokens.firstIndex { $0.isName("x") && $0.line == 2 }!
        #expect(source.topFunction(of: x)?.name == "on_bar")
    }
}

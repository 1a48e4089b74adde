import CLua
import CLuaShim

/// Compiles a script with Lua's own parser, never running it.
enum SyntaxCheck {
    /// The chunk name given to Lua; messages start with "script:LINE:".
    private static let chunkName = "script"

    /// Compiles `text` in a fresh state (text mode only, never bytecode) and closes the state.
    /// - Returns: The compiler's error as a diagnostic (line, and the column of the token it names
    ///   when that token is found on the line), or nil when the script compiles.
    static func check(_ text: String, source: LuaSource) -> Diagnostic? {
        guard let state = luaL_newstate() else {
            return Diagnostic(line: 1, severity: .error, message: "could not create a Lua state to compile the script")
        }
        defer { lua_close(state) }
        var text = text
        let status = text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                guard let base = chars.baseAddress else { return luaL_loadbufferx(state, "", 0, "=" + chunkName, "t") }
                return luaL_loadbufferx(state, base, chars.count, "=" + chunkName, "t")
            }
        }
        guard status != LUA_OK else { return nil }
        let message = tl_tostring(state, -1).map { String(cString: $0) } ?? "the script does not compile"
        return diagnostic(for: message, source: source)
    }

    /// "script:12: 'end' expected near <eof>" -> line 12, the message after the location.
    static func diagnostic(for message: String, source: LuaSource) -> Diagnostic {
        var line = 1
        var text = Substring(message)
        if text.hasPrefix(chunkName + ":") {
            let rest = text.dropFirst(chunkName.count + 1)
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            if let number = Int(digits), rest.dropFirst(digits.count).hasPrefix(": ") {
                line = number
                text = rest.dropFirst(digits.count + 2)
            }
        }
        let lineCount = source.lineStarts.count
        line = min(max(line, 1), lineCount)
        return Diagnostic(line: line, column: column(near: text, line: line, source: source), severity: .error,
                          message: String(text))
    }

    /// The column of the token a message points at with "near 'x'" (the end of the line for
    /// `<eof>`), else 1.
    private static func column(near message: Substring, line: Int, source: LuaSource) -> Int {
        let scalars = Array(message.unicodeScalars)
        guard let at = lastIndex(of: Array(" near ".unicodeScalars), in: scalars) else { return 1 }
        var near = Array(scalars[(at + 6)...])
        let lineText = Array(source.lineText(line).unicodeScalars)
        if near == Array("<eof>".unicodeScalars) { return lineText.count + 1 }
        if near.count >= 2, near.first == "'", near.last == "'" { near = Array(near.dropFirst().dropLast()) }
        guard !near.isEmpty, near.count <= 80, let found = firstIndex(of: near, in: lineText) else { return 1 }
        return found + 1
    }

    private static func firstIndex(of needle: [Unicode.Scalar], in hay: [Unicode.Scalar]) -> Int? {
        guard needle.count <= hay.count else { return nil }
        return (0...(hay.count - needle.count)).first { hay[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    private static func lastIndex(of needle: [Unicode.Scalar], in hay: [Unicode.Scalar]) -> Int? {
        guard needle.count <= hay.count else { return nil }
        return (0...(hay.count - needle.count)).reversed().first { hay[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}

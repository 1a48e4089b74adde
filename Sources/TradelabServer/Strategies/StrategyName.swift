import Foundation

/// A strategy's name: its path under the strategies folder without `.lua` (`examples/sma_cross`).
///
/// Only plain relative names are accepted: components of letters, digits, `_`, `-`, `.` and
/// spaces, not starting with a dot, at most 4 deep and 200 characters; so `..`, absolute paths,
/// backslashes, control characters and encoded variants of them never reach the file system.
struct StrategyName: Sendable, Hashable, CustomStringConvertible {
    /// The validated name.
    let value: String

    /// Validates a name as given (route parameters arrive percent-decoded; `%` itself is refused).
    /// - Throws: ``APIError`` 400 `invalid_name` saying what is not allowed.
    init(_ raw: String) throws(APIError) {
        var text = raw
        if text.hasSuffix(".lua") { text.removeLast(4) }
        func refuse(_ reason: String) -> APIError {
            APIError.badRequest("invalid strategy name '\(raw)': \(reason)", code: "invalid_name")
        }
        guard !text.isEmpty else { throw refuse("it is empty") }
        guard text.count <= 200 else { throw refuse("longer than 200 characters") }
        guard !text.hasPrefix("/") else { throw refuse("absolute paths are not allowed") }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 4 else { throw refuse("at most 4 folder levels") }
        for part in parts {
            guard !part.isEmpty else { throw refuse("empty path component") }
            guard part != "..", part != "." else { throw refuse("'..' and '.' are not allowed") }
            guard !part.hasPrefix(".") else { throw refuse("names cannot start with a dot") }
            guard part.unicodeScalars.allSatisfy({ Self.allowed.contains($0) }) else {
                throw refuse("use letters, digits, '_', '-', '.', ' ' and '/' only")
            }
        }
        value = text
    }

    private static let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-. ")

    /// The folder part (`examples`), or "" at the top level.
    var folder: String {
        guard let slash = value.lastIndex(of: "/") else { return "" }
        return String(value[..<slash])
    }

    /// The file name (`sma_cross.lua`).
    var fileName: String { (value.split(separator: "/").last.map(String.init) ?? value) + ".lua" }

    var description: String { value }
}

import Foundation
import TradelabLua

/// A strategy file as the API describes it.
public struct StrategyInfo: Sendable, Encodable {
    /// Name: the path under the strategies folder without `.lua`.
    public var name: String
    /// Path relative to the strategies folder (`examples/sma_cross.lua`).
    public var path: String
    /// Folder part of the name ("" at the top level).
    public var folder: String
    /// Size in bytes.
    public var size: Int
    /// Last modification, ISO 8601 UTC.
    public var modified: String
    /// The parsed header.
    public var metadata: StrategyMetadata
    /// Indicators used: declared in `@indicators` and called as `ta.NAME(...)`.
    public var indicators: [String]
    /// The `@context` fields.
    public var contextFields: [String]
    /// `on_bar` or `lifecycle` (nil when it does not compile).
    public var style: String?
    /// Whether the validator found no error.
    public var isValid: Bool
    /// The validator's findings.
    public var diagnostics: [Diagnostic]
    /// The script text (single-strategy responses only).
    public var code: String?

    /// Describes a script.
    init(name: StrategyName, text: String, size: Int, modified: Date, includeCode: Bool) {
        let report = StrategyValidator.validate(text, fileName: name.fileName)
        self.name = name.value
        path = name.value + ".lua"
        folder = name.folder
        self.size = size
        self.modified = ISO8601DateFormatter().string(from: modified)
        metadata = report.metadata
        indicators = Self.indicatorsUsed(in: text, declared: report.metadata.indicators)
        contextFields = report.metadata.context
        style = report.style?.rawValue
        isValid = report.isValid
        diagnostics = report.diagnostics
        code = includeCode ? text : nil
    }

    /// Declared indicators, then those called as `ta.NAME(` outside comments, without repeats.
    static func indicatorsUsed(in text: String, declared: [String]) -> [String] {
        var seen = Set<String>(), result: [String] = []
        for name in declared.map({ $0.lowercased() }) where seen.insert(name).inserted { result.append(name) }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let code = line.range(of: "--").map { line[..<$0.lowerBound] } ?? line[...]
            var rest = code
            while let hit = rest.range(of: "ta.") {
                let name = rest[hit.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                let before = hit.lowerBound > rest.startIndex ? rest[rest.index(before: hit.lowerBound)] : " "
                let after = rest[hit.upperBound...].dropFirst(name.count).first
                if !name.isEmpty, !(before.isLetter || before.isNumber || before == "_" || before == "."), after == "(",
                   !["crossover", "crossunder"].contains(name), seen.insert(String(name)).inserted {
                    result.append(String(name))
                }
                rest = rest[hit.upperBound...]
            }
        }
        return result
    }
}

/// A template offered by the editor's picker.
public struct TemplateInfo: Sendable, Encodable {
    /// Name (`templates/macd`).
    public var name: String
    /// The header's `@name`, or the file name.
    public var title: String
    /// The header's `@description`.
    public var description: String
    /// The script.
    public var code: String
    /// The parsed header.
    public var metadata: StrategyMetadata
}

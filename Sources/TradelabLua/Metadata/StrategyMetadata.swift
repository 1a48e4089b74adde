/// A tunable parameter declared in a script header: `-- @param fast 10 [2, 100]`.
public struct ParamSpec: Sendable, Codable, Equatable {
    /// Name, as read in Lua through `params.NAME`.
    public var name: String
    /// Default value.
    public var defaultValue: Double
    /// Inclusive lower bound, if declared.
    public var minimum: Double?
    /// Inclusive upper bound, if declared.
    public var maximum: Double?
    /// Optional description after the range.
    public var summary: String?
    /// 1-based header line.
    public var line: Int

    /// Creates a parameter.
    public init(name: String, defaultValue: Double, minimum: Double? = nil, maximum: Double? = nil, summary: String? = nil, line: Int) {
        self.name = name
        self.defaultValue = defaultValue
        self.minimum = minimum
        self.maximum = maximum
        self.summary = summary
        self.line = line
    }
}

/// The metadata in a strategy's header comments (`-- @name ...`, `-- @param ...`).
public struct StrategyMetadata: Sendable, Codable, Equatable {
    /// `@name`.
    public var name: String?
    /// `@description` (may span several `@description` lines, joined with spaces).
    public var description: String?
    /// `@author`.
    public var author: String?
    /// `@indicators`: indicator specs the script declares it uses, e.g. ["ema:10", "rsi:14"].
    public var indicators: [String] = []
    /// `@context`: extra bar/context fields the script expects (e.g. dataset feature columns).
    public var context: [String] = []
    /// `@symbols`: symbols the strategy is meant for.
    public var symbols: [String] = []
    /// `@risk low|medium|high`.
    public var risk: String?
    /// `@param` declarations, in order.
    public var params: [ParamSpec] = []

    /// Empty metadata.
    public init() {}
}

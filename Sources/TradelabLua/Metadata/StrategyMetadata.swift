/// A tunable parameter declared in a script header: `-- @param fast 10 [2, 100] fast SMA period`.
///
/// Equality ignores ``line``: where a parameter was written is not part of what it declares, so a
/// header rendered by ``StrategyMetadata/headerText()`` and parsed back compares equal.
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
    /// Whether the parameter takes whole numbers only: its default and bounds were all written
    /// without a decimal point or exponent (`10 [2, 100]`, not `2.0 [0.5, 4]`).
    public var isInteger: Bool
    /// 1-based header line (0 when the parameter did not come from a header).
    public var line: Int

    /// Creates a parameter.
    /// - Parameters:
    ///   - isInteger: Whether only whole numbers are allowed; `nil` infers it from the values
    ///     (integer when the default and both bounds are whole numbers).
    public init(name: String, defaultValue: Double, minimum: Double? = nil, maximum: Double? = nil, summary: String? = nil,
                isInteger: Bool? = nil, line: Int) {
        self.name = name
        self.defaultValue = defaultValue
        self.minimum = minimum
        self.maximum = maximum
        self.summary = summary
        self.isInteger = isInteger ?? [defaultValue, minimum, maximum].allSatisfy { value in
            value.map { $0.isFinite && $0 == $0.rounded() } ?? true
        }
        self.line = line
    }

    /// Decodes a parameter; a missing `isInteger` is inferred as in ``init(name:defaultValue:minimum:maximum:summary:isInteger:line:)``
    /// and a missing `line` is 0.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name),
                  defaultValue: try c.decode(Double.self, forKey: .defaultValue),
                  minimum: try c.decodeIfPresent(Double.self, forKey: .minimum),
                  maximum: try c.decodeIfPresent(Double.self, forKey: .maximum),
                  summary: try c.decodeIfPresent(String.self, forKey: .summary),
                  isInteger: try c.decodeIfPresent(Bool.self, forKey: .isInteger),
                  line: try c.decodeIfPresent(Int.self, forKey: .line) ?? 0)
    }

    /// Equal when everything but ``line`` is equal.
    public static func == (a: ParamSpec, b: ParamSpec) -> Bool {
        a.name == b.name && a.defaultValue == b.defaultValue && a.minimum == b.minimum && a.maximum == b.maximum
            && a.summary == b.summary && a.isInteger == b.isInteger
    }
}

/// The metadata in a strategy's header comments (`-- @name ...`, `-- @param ...`).
///
/// Read it with ``parse(_:)``, write it back with ``headerText()``; the tags are described in
/// `docs/strategy-metadata.md`.
public struct StrategyMetadata: Sendable, Codable, Equatable {
    /// `@name`.
    public var name: String?
    /// `@description` (may span several `@description` lines, joined with spaces).
    public var description: String?
    /// `@author`.
    public var author: String?
    /// `@indicators`: names of the indicators the script uses, e.g. `["ema", "rsi"]` (the `ta.*`
    /// functions it calls; the validator compares the two).
    public var indicators: [String] = []
    /// `@context`: extra bar fields the script expects (dataset feature columns such as
    /// `funding_rate`, read as `bar.funding_rate`).
    public var context: [String] = []
    /// `@symbols`: symbols the strategy is meant for.
    public var symbols: [String] = []
    /// `@risk low|medium|high`, lowercased.
    public var risk: String?
    /// `@param` declarations, in order.
    public var params: [ParamSpec] = []

    /// The accepted `@risk` values.
    public static let riskLevels = ["low", "medium", "high"]

    /// Empty metadata.
    public init() {}

    /// Metadata with the given fields.
    public init(name: String? = nil, description: String? = nil, author: String? = nil, indicators: [String] = [],
                context: [String] = [], symbols: [String] = [], risk: String? = nil, params: [ParamSpec] = []) {
        self.name = name
        self.description = description
        self.author = author
        self.indicators = indicators
        self.context = context
        self.symbols = symbols
        self.risk = risk
        self.params = params
    }

    /// Decodes metadata; every key is optional (a form may send only what it edits).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decodeIfPresent(String.self, forKey: .name),
                  description: try c.decodeIfPresent(String.self, forKey: .description),
                  author: try c.decodeIfPresent(String.self, forKey: .author),
                  indicators: try c.decodeIfPresent([String].self, forKey: .indicators) ?? [],
                  context: try c.decodeIfPresent([String].self, forKey: .context) ?? [],
                  symbols: try c.decodeIfPresent([String].self, forKey: .symbols) ?? [],
                  risk: try c.decodeIfPresent(String.self, forKey: .risk),
                  params: try c.decodeIfPresent([ParamSpec].self, forKey: .params) ?? [])
    }
}

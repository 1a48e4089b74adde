import ArgumentParser
import TradelabCore

/// Account and execution settings: a preset, then explicit overrides.
struct AccountOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Conventions preset: default, or backtesting.py (long/short, whole units, all-in sizing).", valueName: "name"))
    var preset: String = "default"

    @Option(name: .long, help: ArgumentHelp("Initial cash (default 10000).", valueName: "amount"))
    var cash: Double?

    @Option(name: .long, help: ArgumentHelp("Commission rate per fill, e.g. 0.001 for 0.1%.", valueName: "rate"))
    var commission: Double?

    @Option(name: .long, help: ArgumentHelp("Fixed fee per fill.", valueName: "amount"))
    var fee: Double?

    @Option(name: .customLong("slippage-bps"), help: ArgumentHelp("Slippage in basis points on market and stop fills.", valueName: "bps"))
    var slippageBps: Double?

    @Option(name: .long, help: ArgumentHelp("Entry size: 100% / 0.5 (of equity), qty:10, cash:1000.", valueName: "size"))
    var size: String?

    @Flag(name: .customLong("whole-units"), help: "Trade whole units only (round down).")
    var wholeUnits = false

    @Flag(name: .customLong("fractional"), help: "Allow fractional units (the default preset's setting).")
    var fractional = false

    @Flag(name: .customLong("allow-short"), help: "Long/short account: sell opens shorts.")
    var allowShort = false

    @Flag(name: .customLong("long-only"), help: "Long-only account: sell only closes longs.")
    var longOnly = false

    @Option(name: .customLong("max-open-trades"), help: ArgumentHelp("Trades open at once per side (default 1).", valueName: "n"))
    var maxOpenTrades: Int?

    @Option(name: .long, help: ArgumentHelp("When orders fill: next-open (default, no look-ahead) or close (labelled fill-at-close).", valueName: "mode"))
    var fill: String?

    @Flag(name: .customLong("close-at-end"), help: "Close trades still open at the last close (else they are reported open).")
    var closeAtEnd = false

    @Option(name: .customLong("stop-loss"), help: ArgumentHelp("Stop-loss for every entry, e.g. 2% or 0.02.", valueName: "pct"))
    var stopLoss: String?

    @Option(name: .customLong("take-profit"), help: ArgumentHelp("Take-profit for every entry, e.g. 5% or 0.05.", valueName: "pct"))
    var takeProfit: String?

    /// The settings: preset first, then every explicit option.
    /// - Throws: ``ConfigError`` naming the bad option.
    func config() throws -> AccountConfig {
        var c = try AccountConfig.preset(named: preset)
        if let cash { c.initialCash = cash }
        if let commission { c.commissionRate = commission }
        if let fee { c.commissionFixed = fee }
        if let slippageBps { c.slippageBps = slippageBps }
        if let size { c.sizing = try Sizing(parsing: size) }
        if wholeUnits && fractional { throw CLIError("--whole-units and --fractional exclude each other") }
        if wholeUnits { c.fractional = false }
        if fractional { c.fractional = true }
        if allowShort && longOnly { throw CLIError("--allow-short and --long-only exclude each other") }
        if allowShort { c.allowShort = true }
        if longOnly { c.allowShort = false }
        if let maxOpenTrades { c.maxOpenTrades = maxOpenTrades }
        if let fill {
            guard let mode = FillMode(rawValue: fill) else {
                throw ConfigError(parameter: "fill", value: fill, allowed: FillMode.allCases.map(\.rawValue).joined(separator: " or "))
            }
            c.fillMode = mode
        }
        if closeAtEnd { c.closeAtEnd = true }
        if let stopLoss { c.stopLossFraction = try fraction(stopLoss, "stop-loss") }
        if let takeProfit { c.takeProfitFraction = try fraction(takeProfit, "take-profit") }
        try c.validate()
        return c
    }

    private func fraction(_ text: String, _ name: String) throws -> Double {
        let percent = text.hasSuffix("%")
        guard let value = Double(percent ? String(text.dropLast()) : text), value.isFinite, value > 0 else {
            throw ConfigError(parameter: name, value: text, allowed: "a positive percentage (2%) or fraction (0.02)")
        }
        return percent ? value / 100 : value
    }
}

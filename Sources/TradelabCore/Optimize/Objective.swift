/// What a search maximizes: a metric of the run's summary. `maxDrawdown` (a fraction <= 0) is
/// maximized too, which minimizes the depth of the drawdown.
public enum Objective: String, Sendable, Codable, CaseIterable {
    case sharpe, sortino, calmar, totalReturn, finalEquity, profitFactor, winRate, sqn, cagr, expectancy, maxDrawdown

    /// Parses a name (case-insensitive; `sharpeRatio`, `sortinoRatio`, `calmarRatio` too).
    /// - Throws: ``OptimizeError`` naming the known objectives.
    public init(parsing text: String) throws(OptimizeError) {
        let key = text.lowercased().replacingRatio()
        guard let found = Self.allCases.first(where: { $0.rawValue.lowercased() == key }) else {
            throw OptimizeError("unknown objective '\(text)'; use one of \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = found
    }

    /// The objective's value for a run's metrics; nil when the metric is undefined (a Sharpe
    /// without returns, a profit factor without losses).
    public func value(of m: PerformanceMetrics) -> Double? {
        let v: Double?
        switch self {
        case .sharpe: v = m.sharpeRatio
        case .sortino: v = m.sortinoRatio
        case .calmar: v = m.calmarRatio
        case .totalReturn: v = m.totalReturn
        case .finalEquity: v = m.finalEquity
        case .profitFactor: v = m.profitFactor
        case .winRate: v = m.winRate
        case .sqn: v = m.sqn
        case .cagr: v = m.cagr
        case .expectancy: v = m.expectancy
        case .maxDrawdown: v = m.maxDrawdown
        }
        return v.flatMap { $0.isNaN ? nil : $0 }
    }
}

extension String {
    fileprivate func replacingRatio() -> String {
        hasSuffix("ratio") && count > 5 ? String(dropLast(5)) : self
    }
}

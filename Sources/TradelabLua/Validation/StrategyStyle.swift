/// Which callbacks a strategy script implements.
public enum StrategyStyle: String, Sendable, Codable, Equatable, CaseIterable {
    /// `on_init(ctx)` (optional) and `on_bar(ctx, bar)`, which returns or calls an action.
    case onBar = "on_bar"
    /// `detect_opportunity(ctx, bar)`, `filter_commitment(ctx, bar, signal)` and
    /// `manage_position(ctx, bar, position)`.
    case lifecycle

    /// The global functions that make up the style (besides the optional `on_init`).
    public var callbacks: [String] {
        switch self {
        case .onBar: ["on_bar"]
        case .lifecycle: ["detect_opportunity", "filter_commitment", "manage_position"]
        }
    }
}

/// How a run ended.
public enum RunStatus: String, Sendable, Codable {
    /// Every bar was processed.
    case completed
    /// Stopped on request: the results cover the bars processed.
    case stopped
}

import TradelabRun

/// A `backtest_state_update` WebSocket message.
struct LiveMessage: Sendable, Codable {
    /// Always `backtest_state_update`.
    var type = "backtest_state_update"
    /// The session.
    var sessionId: String
    /// Its live state.
    var state: LiveState
    /// Why it failed (final messages of failed sessions).
    var error: SessionView.Failure?

    /// The message carrying a state the worker already encoded: the same layout as this type's
    /// encoding (`type`, `sessionId`, `state`), without decoding and re-encoding the state.
    static func text(sessionId: String, rawState: [UInt8]) -> String {
        var bytes = Array(#"{"type":"backtest_state_update","sessionId":"#.utf8)
        bytes += try! CompactJSONEncoder.encode(sessionId)   // a string always encodes
        bytes += Array(#","state":"#.utf8)
        bytes += rawState
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}

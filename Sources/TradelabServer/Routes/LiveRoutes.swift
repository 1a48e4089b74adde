import Foundation
import Hummingbird
import HummingbirdWebSocket

/// `/ws`: live `backtest_state_update` and `optimization_update` messages, optionally filtered by
/// session or optimization id; subscribing to one first sends its latest state, when the server
/// has one.
enum LiveRoutes {
    /// A message a client may send.
    struct ClientMessage: Decodable {
        var type: String
        var sessionIds: [String]?
    }

    static func register(on router: Router<AppContext>, services: ServerServices) {
        let hub = services.hub, manager = services.manager, optimizations = services.optimizations
        router.ws("ws") { inbound, outbound, _ in
            let client = hub.connect()
            defer { hub.disconnect(client) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in client.wakeups {
                        for text in client.drain() { try await outbound.write(.text(text)) }
                    }
                }
                group.addTask {
                    for try await message in inbound.messages(maxSize: 64 * 1024) {
                        guard case .text(let text) = message,
                              let command = try? JSONDecoder().decode(ClientMessage.self, from: Data(text.utf8)) else {
                            try await outbound.write(.text(#"{"type":"error","message":"expected {\"type\":\"subscribe\",\"sessionIds\":[...]}"}"#))
                            continue
                        }
                        switch command.type {
                        case "subscribe":
                            // The latest state first, so a page opened on a paused or ended run has its figures.
                            let ids = command.sessionIds ?? []
                            client.subscribe(ids)
                            for m in await manager.latestLiveMessages(Array(ids.prefix(1000))) { client.offer(session: m.session, text: m.text, final: m.final) }
                            for m in await optimizations.latestLiveMessages(Array(ids.prefix(1000))) { client.offer(session: m.id, text: m.text, final: m.final) }
                        case "unsubscribe": client.unsubscribe(command.sessionIds ?? [])
                        case "subscribe_all": client.subscribeAll()
                        default: try await outbound.write(.text(#"{"type":"error","message":"unknown message type"}"#))
                        }
                    }
                }
                _ = try await group.next()
                group.cancelAll()
            }
        }
    }
}

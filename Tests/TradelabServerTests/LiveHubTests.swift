import Testing
@testable import TradelabServer

@Suite("Live hub")
struct LiveHubTests {
    @Test func aSlowClientKeepsOnlyTheNewestIntermediateStateAndEveryFinalOne() {
        let hub = LiveHub()
        let client = hub.connect()
        for k in 0..<1000 { hub.publish(session: "a", text: "a\(k)", final: false) }
        hub.publish(session: "b", text: "b0", final: false)
        hub.publish(session: "a", text: "a-final", final: true)
        hub.publish(session: "b", text: "b1", final: false)
        #expect(client.drain() == ["b1", "a-final"])
        #expect(client.drain().isEmpty)
        hub.disconnect(client)
        #expect(hub.clientCount == 0)
    }

    @Test func subscriptionsFilterSessions() {
        let hub = LiveHub()
        let client = hub.connect()
        client.subscribe(["x"])
        hub.publish(session: "y", text: "y0", final: true)
        hub.publish(session: "x", text: "x0", final: false)
        #expect(client.drain() == ["x0"])
        client.unsubscribe(["x"])
        hub.publish(session: "x", text: "x1", final: true)
        #expect(client.drain().isEmpty)
        client.subscribeAll()
        hub.publish(session: "z", text: "z0", final: true)
        #expect(client.drain() == ["z0"])
    }

    @Test func unsubscribingFromOneSessionKeepsTheOthers() {
        let hub = LiveHub()
        let client = hub.connect()
        client.unsubscribe(["nonexistent", "a"])
        hub.publish(session: "a", text: "a0", final: true)
        hub.publish(session: "b", text: "b0", final: true)
        #expect(client.drain() == ["b0"])
    }
}

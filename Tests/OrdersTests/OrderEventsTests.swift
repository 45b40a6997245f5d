import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Orders

/// `order.placed`, `order.cancelled` and `order.completed`, recorded with their change and as
/// `events.yaml` describes them; a refused transition records nothing.
@Suite("orders: events")
struct OrderEventsTests {
    @Test func placingCancellingAndCompletingAreRecordedAsCatalogued() async throws {
        try await OrdersHarness.run { api in
            try await api.product("w1", price: "1000.10", stock: 5)
            let alice = try await api.token()
            let admin = try await api.token([.admin], subject: "root")
            let first = try await api.send(.post, "/orders", json: OrdersHarness.checkout([("w1", 2)]), token: alice, key: "e-1")
            let second = try await api.send(.post, "/orders", json: OrdersHarness.checkout([("w1", 1)]), token: alice, key: "e-2")
            let firstID = try #require(first.json["id"] as? String)
            let secondID = try #require(second.json["id"] as? String)
            #expect(try await api.send(.post, "/orders/\(firstID)/cancel", token: alice).status == .ok)
            #expect(try await api.send(.post, "/orders/\(secondID)/complete", token: admin).status == .ok)
            #expect(try await api.send(.post, "/orders/\(firstID)/complete", token: admin).status == .conflict, "not pending: nothing recorded")

            let events = try await EventCatalogue.recorded(in: api.pool)
            #expect(events.map(\.type) == ["order.placed", "order.placed", "order.cancelled", "order.completed"])
            #expect(events[0].data["total"] == "2000.20" && events[0].data["user_id"] == "alice")
            #expect(events[0].data["items"] != nil, "the placed order carries its lines")
            #expect(events[2].data["order_id"] == .string(firstID) && events[2].data["status"] == "cancelled")
            let path = EventCatalogue.path(ofService: "Orders")
            let problems = try await EventCatalogue.problems(catalogue: path, events: events)
            #expect(problems.isEmpty, "\(problems)")
        }
    }
}

@testable import Orders
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Logging
import Testing

@Suite("orders: history, access, cancel and summary", .serialized)
struct OrderHistoryTests {
    @Test func customersSeeOnlyTheirOwnOrders() async throws {
        try await OrdersHarness.run { api in
            try await api.product("w1", price: "10.00", stock: 20)
            let alice = try await api.token(subject: "alice")
            let bob = try await api.token(subject: "bob")
            let manager = try await api.token([.manager], subject: "boss")
            let order = try await api.send(.post, "/orders", json: OrdersHarness.checkout([("w1", 1)]), token: alice, key: "a1")
            let id = try #require(order.json["id"] as? String)
            _ = try await api.send(.post, "/orders", json: OrdersHarness.checkout(customer: "cust_2", [("w1", 2)]), token: bob, key: "b1")

            // Bob cannot read alice's order, and cannot tell it from a missing one.
            let hidden = try await api.send(.get, "/orders/\(id)", token: bob)
            #expect(hidden.status == .notFound)
            #expect(hidden.json["message"] as? String == "No order with id '\(id)'.")
            #expect(try await api.send(.post, "/orders/\(id)/cancel", token: bob).status == .notFound)
            #expect(try await api.send(.get, "/orders/\(id)", token: manager).status == .ok)
            let bobsList = try await api.send(.get, "/orders", token: bob)
            #expect((bobsList.json["data"] as? [[String: Any]])?.count == 1)
            let all = try await api.send(.get, "/orders?status=pending", token: manager)
            #expect((all.json["pagination"] as? [String: Any])?["total"] as? Int == 2)
            let byCustomer = try await api.send(.get, "/orders?customerId=cust_2", token: manager)
            #expect((byCustomer.json["data"] as? [[String: Any]])?.first?["customer_id"] as? String == "cust_2")
            #expect(try await api.send(.get, "/orders?status=lost", token: manager).status == .badRequest)
            #expect(try await api.send(.get, "/orders/ord_missing", token: manager).status == .notFound)
        }
    }

    @Test func cancellingRestocksAndOnlyPendingOrdersChange() async throws {
        try await OrdersHarness.run { api in
            try await api.product("w1", price: "10.00", stock: 5)
            let alice = try await api.token()
            let manager = try await api.token([.manager], subject: "boss")
            let first = try #require(try await api.send(.post, "/orders", json: OrdersHarness.checkout([("w1", 2)]), token: alice, key: "x1").json["id"] as? String)
            let second = try #require(try await api.send(.post, "/orders", json: OrdersHarness.checkout([("w1", 1)]), token: alice, key: "x2").json["id"] as? String)
            #expect(try await api.stock("w1") == 2)

            let cancelled = try await api.send(.post, "/orders/\(first)/cancel", token: alice)
            #expect(cancelled.json["status"] as? String == "cancelled")
            #expect(try await api.stock("w1") == 4, "cancelling put the stock back")
            #expect(try await api.send(.post, "/orders/\(first)/cancel", token: alice).json["error"] as? String == "order_not_pending")
            #expect(try await api.send(.post, "/orders/\(second)/complete", token: alice).status == .forbidden)
            #expect(try await api.send(.post, "/orders/\(second)/complete", token: manager).json["status"] as? String == "completed")
            #expect(try await api.send(.post, "/orders/\(second)/cancel", token: alice).status == .conflict)

            let summary = try await api.send(.get, "/orders/summary?customerId=cust_1", token: manager)
            #expect(summary.json["total_spent"] as? String == "10.00", "cancelled orders do not count")
            #expect(summary.json["order_count"] as? Int == 2)
            #expect(try await api.send(.get, "/orders/summary", token: manager).status == .badRequest)
        }
    }

    @Test func theDemoOrdersGiveEveryVIPTier() async throws {
        try await OrdersHarness.run { api in
            let first = try await DemoOrders.seed(api.pool, Logger(label: "seed"))
            #expect(first.hasSuffix("demo orders inserted") && first.hasPrefix("31 of 31"))
            #expect(try await DemoOrders.seed(api.pool, Logger(label: "seed")).hasPrefix("0 of 31"))
            let manager = try await api.token([.manager], subject: "boss")
            var spent = [String: Money]()
            for customer in ["cust_001", "cust_002", "cust_003"] {
                let summary = try await api.send(.get, "/orders/summary?customerId=\(customer)", token: manager)
                spent[customer] = Money(try #require(summary.json["total_spent"] as? String))
            }
            #expect(try #require(spent["cust_001"]) > Money(cents: 1_000_000), "Gold")
            #expect(try #require(spent["cust_002"]) > Money(cents: 500_000) && spent["cust_002"]! <= Money(cents: 1_000_000), "Silver")
            #expect(try #require(spent["cust_003"]) <= Money(cents: 500_000), "Bronze")
        }
    }
}

@Suite("orders: document")
struct OrdersDocumentTests {
    @Test func everyRouteIsDocumented() async throws {
        var environment = EnvironmentReader(["REDIS_URL": try TestRedis.url(), "DATABASE_URL": try TestDatabase.url()])
        let application = buildApplication(OrdersConfiguration(environment: &environment), httpClient: OrdersHarness.client)
        let problems = try await OpenAPICoverage.audit(routes: application.routes, openAPIJSON: EmbeddedOpenAPI.json, target: "Orders")
        #expect(problems.isEmpty, "\(problems)")
    }
}

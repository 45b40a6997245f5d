@testable import Orders
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

/// A compensation that cannot run is never reported as done: its stock waits in a queue
/// that a retrier drains once the catalog takes it back.
@Suite("orders: restocks that fail are queued and retried")
struct RestockQueueTests {
    @Test func aCancellationWithoutRestockCredentialsIsAcceptedNotDone() async throws {
        try await OrdersHarness.run(environment: ["ORDERS_CLIENT_SECRET": ""]) { api in
            try await api.product("w1", price: "10.00", stock: 5)
            let alice = try await api.token()
            let order = try #require(try await api.send(.post, "/orders", json: OrdersHarness.checkout([("w1", 2)]), token: alice, key: "q1").json["id"] as? String)
            #expect(try await api.stock("w1") == 3)

            let cancelled = try await api.send(.post, "/orders/\(order)/cancel", token: alice)
            #expect(cancelled.status == .accepted, "not 200: the stock is not back")
            #expect(cancelled.json["status"] as? String == "cancelled")
            #expect(cancelled.json["restock"] as? String == "pending")
            #expect(try await api.stock("w1") == 3)
            let queued = try await api.pool.query("SELECT order_id, product_id, quantity FROM pending_restocks").rows
            #expect(queued.count == 1)
            #expect(try queued.first?.decode("order_id", as: String.self) == order)
            #expect(try queued.first?.decode("quantity", as: Int.self) == 2)

            let health = try await api.send(.get, "/health", token: nil)
            #expect(health.body.contains("restock:queue"))
            #expect(health.body.contains("ORDERS_CLIENT_SECRET is not set"))
        }
    }

    @Test func aCancellationThatRestocksAtOnceIsDone() async throws {
        try await OrdersHarness.run { api in
            try await api.product("w1", price: "10.00", stock: 5)
            let alice = try await api.token()
            let order = try #require(try await api.send(.post, "/orders", json: OrdersHarness.checkout([("w1", 2)]), token: alice, key: "q2").json["id"] as? String)
            let cancelled = try await api.send(.post, "/orders/\(order)/cancel", token: alice)
            #expect(cancelled.status == .ok)
            #expect(cancelled.json["restock"] as? String == "done")
            #expect(try await api.stock("w1") == 5)
            #expect(try await api.pool.query("SELECT 1 FROM pending_restocks").rows.isEmpty)
        }
    }

    @Test func queuedRestocksArePutBackByTheRetrier() async throws {
        try await OrdersHarness.run(environment: ["ORDERS_RESTOCK_RETRY_SECONDS": "0.1"]) { api in
            try await api.product("w1", price: "10.00", stock: 1)
            // Left by an earlier compensation that could not reach the catalog.
            try await api.pool.query("INSERT INTO pending_restocks (product_id, quantity, last_error) VALUES ('w1', 4, 'catalog down')")
            try await waitUntil("the queued restock is done") { try await api.pool.query("SELECT 1 FROM pending_restocks").rows.isEmpty }
            #expect(try await api.stock("w1") == 5)
        }
    }

    @Test func aFailedRestockBacksOffAndStaysQueued() async throws {
        try await OrdersHarness.run(environment: ["ORDERS_RESTOCK_RETRY_SECONDS": "0.1"]) { api in
            // No such product: the catalog refuses, so the restock stays queued with its error.
            try await api.pool.query("INSERT INTO pending_restocks (product_id, quantity) VALUES ('ghost', 1)")
            try await waitUntil("the restock was tried and its failure noted") {
                try await !api.pool.query("SELECT 1 FROM pending_restocks WHERE last_error IS NOT NULL").rows.isEmpty
            }
            let row = try #require(try await api.pool.query("SELECT last_error, attempts FROM pending_restocks").rows.first)
            #expect(try row.decode("last_error", as: String.self).contains("ghost"))
            #expect(try row.decode("attempts", as: Int.self) >= 1)
        }
        #expect(RestockRetrier.backoff(after: 1, base: .seconds(5)) == .seconds(5))
        #expect(RestockRetrier.backoff(after: 3, base: .seconds(5)) == .seconds(20))
        #expect(RestockRetrier.backoff(after: 40, base: .seconds(5)) == RestockRetrier.maximumBackoff)
    }
}

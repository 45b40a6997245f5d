@testable import Orders
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@Suite("orders: checkout saga and idempotency", .serialized)
struct CheckoutTests {
    @Test func aCheckoutReservesStockAtCatalogPrices() async throws {
        try await OrdersHarness.run { api in
            try await api.product("w1", price: "1000.10", stock: 5)
            try await api.product("w2", price: "0.30", stock: 5)
            let alice = try await api.token()
            let reply = try await api.send(.post, "/orders", json: OrdersHarness.checkout([("w1", 2), ("w2", 3)]), token: alice, key: "k-1")
            #expect(reply.status == .created, "\(reply.body)")
            #expect(reply.json["total"] as? String == "2001.10", "2 × 1000.10 + 3 × 0.30, exact")
            #expect(reply.json["status"] as? String == "pending")
            let items = try #require(reply.json["items"] as? [[String: Any]])
            #expect(items.map { $0["unit_price"] as? String } == ["1000.10", "0.30"], "prices come from the catalog")
            #expect(try await api.stock("w1") == 3)
            #expect(try await api.stock("w2") == 2)
            let id = try #require(reply.json["id"] as? String)
            #expect(try await api.send(.get, "/orders/\(id)", token: alice).json["total"] as? String == "2001.10")
        }
    }

    @Test func aFailingLinePutsBackWhatWasReserved() async throws {
        try await OrdersHarness.run { api in
            try await api.product("w1", price: "100.00", stock: 5)
            try await api.product("w2", price: "200.00", stock: 1)
            let alice = try await api.token()
            let reply = try await api.send(.post, "/orders", json: OrdersHarness.checkout([("w1", 2), ("w2", 3)]), token: alice, key: "k-2")
            #expect(reply.status == .conflict)
            #expect(reply.json["error"] as? String == "insufficient_stock")
            let details = try #require(reply.json["details"] as? [String: Any])
            #expect(details["productId"] as? String == "w2" && details["available"] as? Int == 1 && details["requested"] as? Int == 3)
            #expect(try await api.stock("w1") == 5, "the first line was reserved, then put back")
            #expect(try await api.stock("w2") == 1)
            #expect(try await api.orderCount() == 0)
            // The failed checkout released its key: a corrected retry with it goes through.
            let retry = try await api.send(.post, "/orders", json: OrdersHarness.checkout([("w1", 2), ("w2", 1)]), token: alice, key: "k-2")
            #expect(retry.status == .created, "\(retry.body)")
            let unknown = try await api.send(.post, "/orders", json: OrdersHarness.checkout([("nope", 1)]), token: alice, key: "k-3")
            #expect(unknown.status == .conflict && unknown.json["error"] as? String == "unknown_product")
        }
    }

    @Test func aRetriedCheckoutReturnsTheFirstOrderAndNeverOrdersTwice() async throws {
        try await OrdersHarness.run { api in
            try await api.product("w1", price: "50.00", stock: 10)
            let alice = try await api.token()
            let body = OrdersHarness.checkout([("w1", 2)])
            let first = try await api.send(.post, "/orders", json: body, token: alice, key: "same-key")
            let again = try await api.send(.post, "/orders", json: body, token: alice, key: "same-key")
            #expect(first.status == .created && again.status == .created)
            #expect(again.json["id"] as? String == first.json["id"] as? String)
            #expect(again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(try await api.stock("w1") == 8, "stock was taken once")
            #expect(try await api.orderCount() == 1)
            let different = try await api.send(.post, "/orders", json: OrdersHarness.checkout([("w1", 1)]), token: alice, key: "same-key")
            #expect(different.status == .unprocessableContent && different.json["error"] as? String == "idempotency_key_reused")
            let bob = try await api.token(subject: "bob")
            #expect(try await api.send(.post, "/orders", json: body, token: bob, key: "same-key").status == .created, "keys are per caller")
            #expect(try await api.send(.post, "/orders", json: body, token: alice).json["error"] as? String == "idempotency_key_required")
        }
    }

    @Test func catalogDownIsServiceUnavailableWithNothingHalfDone() async throws {
        try await OrdersHarness.run(catalogDown: true) { api in
            try await api.product("w1", price: "50.00", stock: 10)
            let reply = try await api.send(.post, "/orders", json: OrdersHarness.checkout([("w1", 1)]), token: try await api.token(), key: "k-down")
            #expect(reply.status == .serviceUnavailable)
            #expect(reply.json["error"] as? String == "upstream_unavailable")
            #expect(try await api.orderCount() == 0)
            #expect(try await api.stock("w1") == 10)
        }
    }

    @Test func checkoutFailureModes() async throws {
        try await OrdersHarness.run { api in
            try await api.product("w1", price: "50.00", stock: 10)
            let alice = try await api.token()
            #expect(try await api.send(.post, "/orders", json: OrdersHarness.checkout([("w1", 1)]), token: nil, key: "a").status == .unauthorized)
            let stranger = try await api.send(.post, "/orders", json: OrdersHarness.checkout(customer: "cust_9", [("w1", 1)]), token: alice, key: "b")
            #expect(stranger.status == .unprocessableContent && stranger.json["error"] as? String == "unknown_customer")
            #expect(try await api.send(.post, "/orders", json: OrdersHarness.checkout(customer: "cust_private", [("w1", 1)]), token: alice, key: "c").status == .forbidden)
            let invalid = try await api.send(.post, "/orders", json: #"{"customerId":"bad id","items":[],"paymentMethod":"gold bars","shippingAddress":{}}"#, token: alice, key: "d")
            let fields = (invalid.json["details"] as? [String: Any])?["fields"] as? [String: Any]
            #expect(Set(fields?.keys.map { $0 } ?? []) == ["customerId", "items", "paymentMethod", "shippingAddress"])
            let dup = try await api.send(.post, "/orders", json: OrdersHarness.checkout([("w1", 1), ("w1", 2)]), token: alice, key: "e")
            #expect(dup.status == .badRequest)
            #expect(try await api.stock("w1") == 10)
        }
    }
}

@testable import Catalog
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@Suite("catalog: inventory")
struct InventoryTests {
    @Test func aPurchaseDecrementsStockAndCostsExactly() async throws {
        try await CatalogHarness.run { api in
            try await api.insert("prod_001", price: "0.10", stock: 5)
            _ = try await api.send(.get, "/products/prod_001")
            let buyer = try await api.token()
            let purchase = try await api.send(.patch, "/products/prod_001/inventory", json: #"{"quantity": 3}"#, token: buyer)
            #expect(purchase.status == .ok)
            #expect(purchase.json["remaining_stock"] as? Int == 2)
            #expect(purchase.json["unit_price"] as? String == "0.10")
            #expect(purchase.json["total_cost"] as? String == "0.30", "exact: 3 × 0.10 is 0.30, not 0.30000000000000004")
            #expect(try await api.send(.get, "/products/prod_001").json["stock"] as? Int == 2, "the cache was invalidated")

            let tooMany = try await api.send(.patch, "/products/prod_001/inventory", json: #"{"quantity": 3}"#, token: buyer)
            #expect(tooMany.status == .conflict)
            #expect(tooMany.json["error"] as? String == "insufficient_stock")
            let details = try #require(tooMany.json["details"] as? [String: Any])
            #expect(details["requested"] as? Int == 3 && details["available"] as? Int == 2)
        }
    }

    @Test func inventoryFailureModes() async throws {
        try await CatalogHarness.run { api in
            try await api.insert("p1")
            let buyer = try await api.token()
            #expect(try await api.send(.patch, "/products/p1/inventory", json: #"{"quantity": 1}"#).status == .unauthorized)
            for body in [#"{"quantity": 0}"#, #"{"quantity": -2}"#, #"{"quantity": "one"}"#, #"{"quantity": 1.5}"#, "{}"] {
                let reply = try await api.send(.patch, "/products/p1/inventory", json: body, token: buyer)
                #expect(reply.status == .badRequest, "\(body)")
            }
            #expect(try await api.send(.patch, "/products/nope/inventory", json: #"{"quantity": 1}"#, token: buyer).status == .notFound)
        }
    }

    @Test func oneHundredConcurrentBuyersNeverOversell() async throws {
        try await CatalogHarness.run { api in
            try await api.insert("hot", stock: 10)
            let buyer = try await api.token()
            let replies = try await api.client.burst(
                100, "PATCH", "/products/hot/inventory",
                headers: [("Authorization", "Bearer \(buyer)"), ("Content-Type", "application/json")], body: #"{"quantity": 1}"#)
            #expect(replies.filter { $0.status == 200 }.count == 10)
            #expect(replies.filter { $0.status == 409 }.count == 90)
            let stock = try await api.pool.query("SELECT stock FROM products WHERE id = 'hot'").rows[0].decode("stock", as: Int.self)
            #expect(stock == 0)
        }
    }

    @Test func restockNeedsAnEditorOrTheInventoryScope() async throws {
        try await CatalogHarness.run { api in
            try await api.insert("p1", stock: 1)
            let member = try await api.token()
            let manager = try await api.token([.manager])
            let orders = try await api.token([], subject: "client:orders", scopes: ["catalog:inventory"], kind: .service)
            #expect(try await api.send(.post, "/products/p1/inventory/restock", json: #"{"quantity": 2}"#, token: member).status == .forbidden)
            #expect(try await api.send(.post, "/products/p1/inventory/restock", json: #"{"quantity": 2}"#, token: manager).json["stock"] as? Int == 3)
            #expect(try await api.send(.post, "/products/p1/inventory/restock", json: #"{"quantity": 1}"#, token: orders).json["stock"] as? Int == 4)
            #expect(try await api.send(.post, "/products/nope/inventory/restock", json: #"{"quantity": 1}"#, token: manager).status == .notFound)
        }
    }
}

@testable import Catalog
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@Suite("catalog: writing products")
struct ProductWriteTests {
    static let body = #"{"id":"prod_900","name":"Test Diver","brand":"Tudor","category":"sport","price":"4100.50","stock":3,"metadata":{"movement":"automatic","diameter_mm":39}}"#

    @Test func editorsCreateUpdateAndDelete() async throws {
        try await CatalogHarness.run { api in
            let manager = try await api.token([.manager])
            let created = try await api.send(.post, "/products", json: Self.body, token: manager)
            #expect(created.status == .created)
            #expect(created.headers[.location] == "/products/prod_900")
            #expect(created.json["price"] as? String == "4100.50")
            #expect((created.json["metadata"] as? [String: Any])?["diameter_mm"] as? Int == 39)
            let duplicate = try await api.send(.post, "/products", json: Self.body, token: manager)
            #expect(duplicate.status == .conflict)
            #expect(duplicate.json["error"] as? String == "product_exists")

            // Cache, then update: the next read is fresh.
            _ = try await api.send(.get, "/products/prod_900")
            let updated = try await api.send(.put, "/products/prod_900", json: #"{"price": 3999.99, "stock": 7}"#, token: manager)
            #expect(updated.status == .ok)
            #expect(updated.json["price"] as? String == "3999.99")
            #expect(updated.json["name"] as? String == "Test Diver", "a partial update keeps the rest")
            let read = try await api.send(.get, "/products/prod_900")
            #expect(read.json["cached"] as? Bool == false && read.json["stock"] as? Int == 7, "the update invalidated the cache")

            #expect(try await api.send(.delete, "/products/prod_900", token: manager).status == .noContent)
            #expect(try await api.send(.get, "/products/prod_900").status == .notFound)
            #expect(try await api.send(.delete, "/products/prod_900", token: manager).status == .notFound)
        }
    }

    @Test func writeFailureModes() async throws {
        try await CatalogHarness.run { api in
            let manager = try await api.token([.manager])
            let member = try await api.token([.member])
            #expect(try await api.send(.post, "/products", json: Self.body).status == .unauthorized)
            #expect(try await api.send(.post, "/products", json: Self.body, token: member).status == .forbidden)

            let missing = try await api.send(.post, "/products", json: #"{"id":"x1","name":"","price":"-5","stock":-1}"#, token: manager)
            #expect(missing.status == .badRequest)
            let fields = (missing.json["details"] as? [String: Any])?["fields"] as? [String: Any]
            #expect(Set(fields?.keys.map { $0 } ?? []) == ["name", "brand", "category", "price", "stock"], "\(missing.body)")
            let float = try await api.send(.post, "/products", json: #"{"id":"x2","name":"n","brand":"b","category":"c","price":12.345,"stock":1}"#, token: manager)
            #expect(float.status == .badRequest, "three decimals are refused")
            let badID = try await api.send(.post, "/products", json: #"{"id":"bad id!","name":"n","brand":"b","category":"c","price":"1","stock":1}"#, token: manager)
            #expect(((badID.json["details"] as? [String: Any])?["fields"] as? [String: Any])?["id"] != nil)

            try await api.insert("p1")
            let empty = try await api.send(.put, "/products/p1", json: "{}", token: manager)
            #expect(empty.status == .badRequest)
            #expect(try await api.send(.put, "/products/p1", json: #"{"id":"p2"}"#, token: manager).status == .badRequest)
            #expect(try await api.send(.put, "/products/nope", json: #"{"stock":1}"#, token: manager).status == .notFound)
            #expect(try await api.send(.put, "/products/p1", json: #"{"stock":1}"#, token: member).status == .forbidden)
            #expect(try await api.send(.delete, "/products/p1", token: member).status == .forbidden)
            #expect(try await api.send(.put, "/products/p1", json: "{not json", token: manager).status == .badRequest)
        }
    }

    @Test func textWithANULIsRefusedNamingTheFieldAndNothingIsStored() async throws {
        try await CatalogHarness.run { api in
            let manager = try await api.token([.manager])
            let cases = [
                (#"{"id":"n1","name":"Sub\u0000mariner","brand":"b","category":"c","price":"1","stock":1}"#, "name"),
                (#"{"id":"n1","name":"n","brand":"b","category":"c","price":"1","stock":1,"metadata":{"strap":"oyster\u0000"}}"#, "metadata.strap"),
            ]
            for (body, field) in cases {
                let refused = try await api.send(.post, "/products", json: body, token: manager)
                #expect(refused.status == .badRequest, "\(refused.body)")
                #expect((refused.json["details"] as? [String: Any])?["field"] as? String == field)
            }
            #expect(try await api.send(.get, "/products/n1").status == .notFound, "nothing was stored, cut short or otherwise")
            let filter = try await api.send(.get, "/products?brand=Rolex%00zzzz")
            #expect(filter.status == .badRequest)
            #expect(filter.json["error"] as? String == "invalid_query")
        }
    }
}

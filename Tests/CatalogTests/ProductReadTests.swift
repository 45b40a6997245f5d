@testable import Catalog
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@Suite("catalog: listing and reading")
struct ProductReadTests {
    @Test func listsWithFiltersSortingAndPagination() async throws {
        try await CatalogHarness.run { api in
            for (index, (brand, category, price)) in [("Rolex", "sport", "10250.00"), ("Omega", "sport", "5400.00"), ("Rolex", "dress", "8950.00"),
                                                      ("Seiko", "dress", "495.00"), ("Cartier", "luxury", "7750.00")].enumerated() {
                try await api.insert("p\(index)", brand: brand, category: category, price: price)
            }
            let all = try await api.send(.get, "/products")
            #expect(all.status == .ok)
            let pagination = try #require(all.json["pagination"] as? [String: Any])
            #expect(pagination["total"] as? Int == 5 && pagination["limit"] as? Int == 10 && pagination["offset"] as? Int == 0)
            #expect(pagination["hasMore"] as? Bool == false)

            let rolex = try await api.send(.get, "/products?brand=Rolex&sort=-price")
            let prices = (rolex.json["data"] as? [[String: Any]])?.compactMap { $0["price"] as? String }
            #expect(prices == ["10250.00", "8950.00"], "prices are exact two-decimal strings, sorted")
            let range = try await api.send(.get, "/products?minPrice=5400&maxPrice=8950.00&sort=price")
            #expect((range.json["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["p1", "p4", "p2"], "bounds are inclusive")
            let page = try await api.send(.get, "/products?limit=2&offset=2&sort=price")
            #expect((page.json["data"] as? [[String: Any]])?.count == 2)
            #expect((page.json["pagination"] as? [String: Any])?["hasMore"] as? Bool == true)
            let past = try await api.send(.get, "/products?offset=50")
            #expect((past.json["data"] as? [Any])?.isEmpty == true)
            #expect((past.json["pagination"] as? [String: Any])?["total"] as? Int == 5, "the total is right even past the end")
            #expect((try await api.send(.get, "/products?category=dress").json["data"] as? [Any])?.count == 2)
        }
    }

    @Test(arguments: ["limit=0", "limit=101", "limit=-1", "limit=ten", "offset=-5", "minPrice=abc", "maxPrice=-1", "minPrice=10.999",
                      "minPrice=500&maxPrice=100", "sort=popularity"])
    func badListParametersAre400(_ query: String) async throws {
        try await CatalogHarness.run { api in
            let reply = try await api.send(.get, "/products?\(query)")
            #expect(reply.status == .badRequest, "\(query)")
            #expect(reply.json["error"] as? String == "invalid_query")
            let problems = (reply.json["details"] as? [String: Any])?["problems"] as? [String: Any]
            let name = String(query.split(separator: "=")[0])
            #expect(problems?[name] != nil, "\(query): \(reply.body)")
        }
    }

    @Test func productReadsAreCachedAndExpire() async throws {
        // A TTL long enough that a busy machine still reads twice inside it.
        try await CatalogHarness.run(environment: ["PRODUCT_CACHE_TTL_SECONDS": "6"]) { api in
            try await api.insert("prod_001", price: "12500.00")
            let first = try await api.send(.get, "/products/prod_001")
            #expect(first.status == .ok)
            #expect(first.headers[HTTPField.Name("X-Cache")!] == "MISS")
            #expect(first.json["cached"] as? Bool == false)
            #expect(first.json["price"] as? String == "12500.00")
            let second = try await api.send(.get, "/products/prod_001")
            #expect(second.headers[HTTPField.Name("X-Cache")!] == "HIT")
            #expect(second.json["cached"] as? Bool == true)
            // A hit is the stored JSON as served: the same fields with the same values.
            #expect(NSDictionary(dictionary: second.json.filter { $0.key != "cached" }) == NSDictionary(dictionary: first.json.filter { $0.key != "cached" }))
            #expect(second.json["created_at"] as? String != nil && second.json["metadata"] as? [String: Any] != nil)
            try await Task.sleep(for: .milliseconds(6300))
            #expect(try await api.send(.get, "/products/prod_001").headers[HTTPField.Name("X-Cache")!] == "MISS", "the entry expires")
            let missing = try await api.send(.get, "/products/nope")
            #expect(missing.status == .notFound)
            #expect(missing.json["error"] as? String == "not_found")
        }
    }
}

import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Catalog

/// `product.low_stock`: once, when a purchase crosses the threshold; as `events.yaml` says.
@Suite("catalog: events")
struct CatalogEventsTests {
    @Test func aPurchaseCrossingTheThresholdRecordsLowStockOnce() async throws {
        try await CatalogHarness.run { api in
            try await api.insert("prod_low", price: "5.00", stock: 8)
            let buyer = try await api.token()
            for quantity in [2, 2, 1, 1] {  // 6, 4 (crossed below 5), 3, 2
                let reply = try await api.send(.patch, "/products/prod_low/inventory", json: #"{"quantity": \#(quantity)}"#, token: buyer)
                #expect(reply.status == .ok, "\(reply.body)")
            }
            #expect(try await api.send(.patch, "/products/prod_low/inventory", json: #"{"quantity": 9}"#, token: buyer).status == .conflict)

            let events = try await EventCatalogue.recorded(in: api.pool)
            #expect(events.map(\.type) == ["product.low_stock"])
            #expect(events.first?.data["stock"] == .int(4) && events.first?.data["threshold"] == .int(5))
            let path = EventCatalogue.path(ofService: "Catalog")
            let problems = try await EventCatalogue.problems(catalogue: path, events: events)
            #expect(problems.isEmpty, "\(problems)")
        }
    }
}

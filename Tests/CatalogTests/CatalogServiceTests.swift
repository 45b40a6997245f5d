@testable import Catalog
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Logging
import Testing

@Suite("catalog: demo data, ops and document")
struct CatalogServiceTests {
    @Test func theDemoCatalogueLoadsOnceWithEnoughVariety() async throws {
        try await CatalogHarness.run { api in
            let first = try await DemoProducts.seed(api.pool, Logger(label: "seed"))
            let again = try await DemoProducts.seed(api.pool, Logger(label: "seed"))
            #expect(first.hasPrefix("53 of 53"))
            #expect(again.hasPrefix("0 of 53"), "seeding twice adds nothing")
            let row = try await api.pool.query("SELECT count(*) AS n, count(DISTINCT brand) AS brands, count(DISTINCT category) AS categories FROM products").rows[0]
            #expect(try row.decode("n", as: Int.self) >= 50)
            #expect(try row.decode("brands", as: Int.self) >= 15)
            #expect(try row.decode("categories", as: Int.self) == 3)
            let product = try await api.send(.get, "/products/prod_001")
            #expect(product.json["brand"] as? String == "Rolex")
            #expect((product.json["metadata"] as? [String: Any])?["movement"] as? String == "automatic")
        }
    }

    @Test func answersTheOpsContractAndCountsCacheUse() async throws {
        try await CatalogHarness.run { api in
            #expect(try await api.send(.get, "/ready").status == .ok)
            try await api.insert("p1")
            _ = try await api.send(.get, "/products/p1")
            _ = try await api.send(.get, "/products/p1")
            let metrics = try await api.send(.get, "/metrics")
            #expect(metrics.body.contains(#"cache_requests_total{cache="product",result="hit"} 1"#))
            let lint = try await Promtool.checkMetrics(metrics.body)
            #expect(lint.status == 0 && lint.findings.isEmpty, "promtool: \(lint.findings)")
        }
    }

    @Test func everyRouteIsDocumented() async throws {
        var environment = EnvironmentReader(["REDIS_URL": try TestRedis.url(), "DATABASE_URL": try TestDatabase.url()])
        let configuration = CatalogConfiguration(environment: &environment)
        let application = buildApplication(configuration, httpClient: CatalogHarness.client)
        #expect(application.routes.count >= 8)
        let problems = try await OpenAPICoverage.audit(routes: application.routes, openAPIJSON: EmbeddedOpenAPI.json, target: "Catalog")
        #expect(problems.isEmpty, "\(problems)")
    }
}

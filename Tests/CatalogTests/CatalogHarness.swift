@testable import Catalog
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A catalog in-process over real HTTP on its own PostgreSQL schema and Redis prefix, with
/// a JWKS server so tokens from ``TestTokenIssuer`` verify.
enum CatalogHarness {
    static let client = FlotillaHTTPClient(configuration: .init(userAgent: "catalog-tests/1.0"))

    struct Context: Sendable {
        let client: any TestClientProtocol
        let issuer: TestTokenIssuer
        let pool: PostgresPool

        func token(_ roles: [Role] = [.member], subject: String = "user-1", scopes: [String] = [], kind: AccessTokenClaims.Kind = .user) async throws -> String {
            try await issuer.token(subject: subject, roles: roles, scopes: scopes, kind: kind)
        }

        func send(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, token: String? = nil) async throws -> APITestClient.Reply {
            try await APITestClient(client).send(method, uri, json: json, token: token)
        }

        /// Insert a product directly (test setup that is not under test).
        func insert(_ id: String, brand: String = "Rolex", category: String = "sport", price: String = "1000.00", stock: Int = 5) async throws {
            try await pool.query(
                "INSERT INTO products (id, name, brand, category, price, stock) VALUES ($1, $2, $3, $4, $5, $6)",
                [id, "Watch \(id)", brand, category, Money(price)!, stock])
        }
    }

    static func run(environment overrides: [String: String] = [:], _ body: @escaping @Sendable (Context) async throws -> Void) async throws {
        // One of the suite's harness slots: a bounded number of services run at once.
        try await HarnessSlots.services.run {
            let issuer = try await TestTokenIssuer()
            let schema = "catalog_t\(UUID().uuidString.prefix(8).lowercased())"
            try await issuer.jwksServer().application.test(.live) { jwks in
                var values = try TestDatabase.serviceEnvironment(schema: schema).merging([
                    "DB_POOL_MAX_CONNECTIONS": "8",
                    "REDIS_URL": try TestRedis.url(), "CATALOG_REDIS_PREFIX": "test:catalog:\(UUID().uuidString.prefix(8)):",
                    "AUTH_SERVICE_URL": "http://127.0.0.1:\(try #require(jwks.port))",
                ]) { $1 }
                values.merge(overrides) { $1 }
                var environment = EnvironmentReader(values)
                var configuration = CatalogConfiguration(environment: &environment)
                try environment.validate()
                var service = ServiceConfiguration.testing(name: "catalog")
                service.maxBodyBytes = configuration.base.service.maxBodyBytes
                configuration.base.service = service
                let application = buildApplication(configuration, httpClient: Self.client)
                let pool = try TestDatabase.makePool { $0.schema = schema }
                try await application.test(.live) { client in
                    try await body(Context(client: client, issuer: issuer, pool: pool))
                }
                await pool.close()
            }
        }
    }
}

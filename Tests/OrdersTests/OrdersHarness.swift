@testable import Orders
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Orders in-process over real HTTP, in front of the real `catalog` binary (its own schema,
/// products inserted per test) and a customers stand-in that knows `cust_1` and `cust_2`
/// and refuses `cust_private`.
enum OrdersHarness {
    static let client = FlotillaHTTPClient(configuration: .init(userAgent: "orders-tests/1.0"))

    struct Context: Sendable {
        let client: any TestClientProtocol
        let issuer: TestTokenIssuer
        let catalogPool: PostgresPool
        let pool: PostgresPool

        func token(_ roles: [Role] = [.member], subject: String = "alice") async throws -> String {
            try await issuer.token(subject: subject, roles: roles)
        }

        func send(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, token: String?, key: String? = nil) async throws -> APITestClient.Reply {
            var headers = HTTPFields()
            if let key { headers[HTTPField.Name("Idempotency-Key")!] = key }
            return try await APITestClient(client).send(method, uri, json: json, token: token, headers: headers)
        }

        func product(_ id: String, price: String, stock: Int) async throws {
            try await catalogPool.query(
                "INSERT INTO products (id, name, brand, category, price, stock) VALUES ($1, $1, 'Test', 'sport', $2, $3)",
                [id, Money(price)!, stock])
        }

        func stock(_ id: String) async throws -> Int {
            try await catalogPool.query("SELECT stock FROM products WHERE id = $1", [id]).rows[0].decode("stock", as: Int.self)
        }

        func orderCount() async throws -> Int {
            try await pool.query("SELECT count(*) AS n FROM orders").rows[0].decode("n", as: Int.self)
        }
    }

    static var customersStub: KitTestApplication {
        KitTestApplication(routes: { router in
            router.get("/customers/{id}") { _, context -> Response in
                switch context.parameters.get("id") {
                case "cust_1", "cust_2": return JSONResponse.make(["id": context.parameters.get("id") ?? ""])
                case "cust_private": throw APIError.forbidden("not yours")
                default: throw APIError.notFound("no such customer")
                }
            }
        })
    }

    static func checkout(customer: String = "cust_1", _ items: [(String, Int)]) -> String {
        let lines = items.map { #"{"productId":"\#($0.0)","quantity":\#($0.1)}"# }.joined(separator: ",")
        return #"{"customerId":"\#(customer)","items":[\#(lines)],"paymentMethod":"card","shippingAddress":{"city":"Geneva"}}"#
    }

    static func run(catalogDown: Bool = false, environment overrides: [String: String] = [:], _ body: @escaping @Sendable (Context) async throws -> Void) async throws {
        // One of the suite's harness slots: a bounded number of services run at once.
        try await HarnessSlots.services.run {
            let issuer = try await TestTokenIssuer()
            let unique = UUID().uuidString.prefix(8).lowercased()
            try await issuer.jwksServer().application.test(.live) { jwks in
                try await customersStub.application.test(.live) { customers in
                    let authURL = "http://127.0.0.1:\(try #require(jwks.port))"
                    let catalogSchema = "orders_cat_\(unique)"
                    let catalog = try ServiceProcess(executable: "catalog", environment: try TestDatabase.serviceEnvironment(schema: catalogSchema).merging([
                        "REDIS_URL": try TestRedis.url(),
                        "AUTH_SERVICE_URL": authURL, "CATALOG_REDIS_PREFIX": "test:ordcat:\(unique):", "LOG_LEVEL": "warning",
                    ]) { $1 })
                    defer { catalog.stop() }
                    try await catalog.waitUntilAnswering("/ready")
                    let catalogURL = catalogDown ? "http://127.0.0.1:\(try FreePort.allocate())" : catalog.baseURL
                    let schema = "orders_t\(unique)"
                    var environment = EnvironmentReader(try TestDatabase.serviceEnvironment(schema: schema).merging([
                        "REDIS_URL": try TestRedis.url(),
                        "AUTH_SERVICE_URL": authURL, "CATALOG_SERVICE_URL": catalogURL,
                        "CUSTOMERS_SERVICE_URL": "http://127.0.0.1:\(try #require(customers.port))", "ORDERS_CLIENT_SECRET": "test-secret",
                    ]) { $1 }.merging(overrides) { $1 })
                    var configuration = OrdersConfiguration(environment: &environment)
                    try environment.validate()
                    configuration.base.service = .testing(name: "orders")
                    let application = buildApplication(configuration, httpClient: Self.client)
                    let catalogPool = try TestDatabase.makePool { $0.schema = catalogSchema }
                    let pool = try TestDatabase.makePool { $0.schema = schema }
                    try await application.test(.live) { client in
                        try await body(Context(client: client, issuer: issuer, catalogPool: catalogPool, pool: pool))
                    }
                    await catalogPool.close()
                    await pool.close()
                }
            }
        }
    }
}

import FlotillaKit
import FlotillaKitTesting
import Foundation
import Testing

/// The watch-store seed's quick test, through the real gateway in front of the real auth,
/// catalog, customers and orders binaries (seeded with `<service> seed`), on PostgreSQL and
/// Redis: get a token, read a product (cached the second time), buy one, read a customer
/// with the VIP tier their orders earn.
@Suite("end to end: chronos quick test", .serialized)
struct ChronosQuickTests {
    static let routes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../helm/flotilla/files/gateway/chronos.json").standardized.path

    func json(_ reply: HTTPTestClient.Reply) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any] ?? [:]
    }

    @Test func tokenProductPurchaseAndCustomerThroughTheGateway() async throws {
        let unique = UUID().uuidString.prefix(8).lowercased()
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-keys-\(unique)").path
        let common = ["DATABASE_URL": try TestDatabase.url(), "REDIS_URL": try TestRedis.url(), "LOG_LEVEL": "warning"]
        let auth = try ServiceProcess(executable: "auth", environment: common.merging([
            "DB_SCHEMA": "e2e_auth_\(unique)", "AUTH_SIGNING_KEYS_DIR": keys, "AUTH_DEV_MODE": "true", "AUTH_DEV_TOKENS": "true",
            "AUTH_SIGNING_ALGORITHM": "es256", "AUTH_REDIS_PREFIX": "e2e:\(unique):auth:",
        ]) { $1 })
        defer { auth.stop() }
        let catalogEnvironment = common.merging([
            "DB_SCHEMA": "e2e_catalog_\(unique)", "AUTH_SERVICE_URL": auth.baseURL, "CATALOG_REDIS_PREFIX": "e2e:\(unique):catalog:",
        ]) { $1 }
        let seeded = try await ServiceProcess.run(executable: "catalog", environment: catalogEnvironment, arguments: ["seed"])
        #expect(seeded.status == 0, "\(seeded.output)")
        let catalog = try ServiceProcess(executable: "catalog", environment: catalogEnvironment)
        defer { catalog.stop() }
        try await auth.waitUntilAnswering("/ready")
        try await catalog.waitUntilAnswering("/ready")
        let ordersEnvironment = common.merging([
            "DB_SCHEMA": "e2e_orders_\(unique)", "AUTH_SERVICE_URL": auth.baseURL, "CATALOG_SERVICE_URL": catalog.baseURL,
        ]) { $1 }
        let ordersSeeded = try await ServiceProcess.run(executable: "orders", environment: ordersEnvironment, arguments: ["seed"])
        #expect(ordersSeeded.status == 0, "\(ordersSeeded.output)")
        let orders = try ServiceProcess(executable: "orders", environment: ordersEnvironment)
        defer { orders.stop() }
        try await orders.waitUntilAnswering("/ready")
        let customersEnvironment = common.merging([
            "DB_SCHEMA": "e2e_customers_\(unique)", "AUTH_SERVICE_URL": auth.baseURL, "ORDERS_SERVICE_URL": orders.baseURL,
        ]) { $1 }
        let customersSeeded = try await ServiceProcess.run(executable: "customers", environment: customersEnvironment, arguments: ["seed"])
        #expect(customersSeeded.status == 0, "\(customersSeeded.output)")
        let customers = try ServiceProcess(executable: "customers", environment: customersEnvironment)
        defer { customers.stop() }
        try await customers.waitUntilAnswering("/ready")
        let gateway = try ServiceProcess(executable: "gateway", environment: [
            "REDIS_URL": try TestRedis.url(), "GATEWAY_ROUTES": Self.routes, "LOG_LEVEL": "warning",
            "AUTH_SERVICE_URL": auth.baseURL, "CATALOG_SERVICE_URL": catalog.baseURL, "CUSTOMERS_SERVICE_URL": customers.baseURL,
            "ORDERS_SERVICE_URL": orders.baseURL, "GATEWAY_REDIS_PREFIX": "e2e:\(unique):gateway:",
        ])
        defer { gateway.stop() }
        try await gateway.waitUntilAnswering("/ready")
        let base = gateway.baseURL
        let jsonHeader = [("Content-Type", "application/json")]

        // 1. Generate a token (the seed's unversioned alias).
        let tokenReply = try await HTTPTestClient.send("POST", base + "/auth/token", headers: jsonHeader, body: #"{"userId": "user123", "email": "test@example.com"}"#)
        #expect(tokenReply.status == 200, "\(tokenReply.body)")
        let token = try #require(try json(tokenReply)["token"] as? String)
        let bearer = [("Authorization", "Bearer \(token)")]

        // 2. Get a product, twice: the second read comes from a cache (the gateway's, keyed by
        //    caller, in front of the catalog's own).
        let first = try await HTTPTestClient.send("GET", base + "/products/prod_001", headers: bearer)
        #expect(first.status == 200, "\(first.body)")
        #expect(try json(first)["brand"] as? String == "Rolex")
        let second = try await HTTPTestClient.send("GET", base + "/api/v1/products/prod_001", headers: bearer)
        #expect(first.header("X-Cache") == "MISS")
        #expect(second.header("X-Cache") == "HIT")
        let stockBefore = try #require(try json(second)["stock"] as? Int)

        // 3. Purchase simulation.
        let purchase = try await HTTPTestClient.send("PATCH", base + "/products/prod_001/inventory", headers: bearer + jsonHeader, body: #"{"quantity": 1}"#)
        #expect(purchase.status == 200, "\(purchase.body)")
        let bought = try json(purchase)
        #expect(bought["remaining_stock"] as? Int == stockBefore - 1)
        #expect(bought["total_cost"] as? String == (try json(first))["price"] as? String)
        #expect(purchase.header("X-RateLimit-Limit") == "100", "the seed's 100 requests per minute per client")

        // 4. Get a customer with the VIP tier their orders earn (the demo orders make cust_001 Gold).
        let customer = try await HTTPTestClient.send("GET", base + "/customers/cust_001", headers: bearer)
        #expect(customer.status == 200, "\(customer.body)")
        let detail = try json(customer)
        #expect(detail["vip_tier"] as? String == "Gold")
        #expect(detail["total_spent"] as? String == "12000.00", "10250.00 + 1750.00 from the demo orders")
        #expect((detail["warnings"] as? [Any])?.isEmpty == true)

        // The write through the gateway dropped its cached copy, under either alias.
        for path in ["/api/v1/products/prod_001", "/products/prod_001"] {
            let fresh = try await HTTPTestClient.send("GET", base + path, headers: bearer)
            #expect(try json(fresh)["stock"] as? Int == stockBefore - 1, "\(path) shows the new stock")
        }

        // Without a token the purchase never reaches the catalog, and the seed's unversioned
        // routes answer 401 as the seed's gateway does (the versioned catalog stays open for reads).
        let anonymous = try await HTTPTestClient.send("PATCH", base + "/products/prod_001/inventory", headers: jsonHeader, body: #"{"quantity": 1}"#)
        #expect(anonymous.status == 401)
        for path in ["/products", "/products/prod_001", "/customers/cust_001"] {
            let refused = try await HTTPTestClient.send("GET", base + path)
            #expect(refused.status == 401, "\(path) needs a token")
            #expect(refused.body.contains(#""request_id""#))
        }
        let after = try await HTTPTestClient.send("GET", base + "/api/v1/products/prod_001")
        #expect(after.status == 200)
        #expect(try json(after)["stock"] as? Int == stockBefore - 1)
    }
}

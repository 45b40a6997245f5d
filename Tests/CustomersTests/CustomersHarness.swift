@testable import Customers
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// A kit server standing in for the orders service: per-customer summaries the test sets,
/// and the request it last saw.
final class OrdersStub: Sendable {
    let summaries = Mutex<[String: (total: String, count: Int)]>([:])
    let lastAuthorization = Mutex<String?>(nil)

    var application: KitTestApplication {
        KitTestApplication(routes: { router in
            router.get("/orders/summary") { request, _ -> Response in
                self.lastAuthorization.withLock { $0 = request.headers[.authorization] }
                let id = request.uri.queryParameters.get("customerId") ?? ""
                let summary = self.summaries.withLock { $0[id] } ?? (total: "0.00", count: 0)
                return JSONResponse.make(["total_spent": JSONValue.string(summary.total), "order_count": .int(summary.count)])
            }
            router.get("/orders") { request, _ -> Response in
                let id = request.uri.queryParameters.get("customerId") ?? ""
                let status = request.uri.queryParameters.get("status") ?? "any"
                return JSONResponse.make(["customer": JSONValue.string(id), "status": .string(status), "data": .array([])])
            }
        })
    }
}

/// The customers service in-process over real HTTP, on its own schema, with a JWKS server
/// and an orders stub (or a dead orders URL).
enum CustomersHarness {
    static let client = FlotillaHTTPClient(configuration: .init(userAgent: "customers-tests/1.0"))

    struct Context: Sendable {
        let client: any TestClientProtocol
        let issuer: TestTokenIssuer
        let orders: OrdersStub

        func token(_ roles: [Role] = [.member], subject: String = "user-1") async throws -> String {
            try await issuer.token(subject: subject, roles: roles)
        }

        func send(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, token: String?) async throws -> APITestClient.Reply {
            try await APITestClient(client).send(method, uri, json: json, token: token)
        }
    }

    static func run(ordersDown: Bool = false, _ body: @escaping @Sendable (Context) async throws -> Void) async throws {
        // One of the suite's harness slots: a bounded number of services run at once.
        try await HarnessSlots.services.run {
            let issuer = try await TestTokenIssuer()
            let orders = OrdersStub()
            try await issuer.jwksServer().application.test(.live) { jwks in
                try await orders.application.application.test(.live) { ordersClient in
                    let ordersURL = ordersDown ? "http://127.0.0.1:\(try FreePort.allocate())" : "http://127.0.0.1:\(try #require(ordersClient.port))"
                    var environment = EnvironmentReader(try TestDatabase.serviceEnvironment(schema: "customers_t\(UUID().uuidString.prefix(8).lowercased())").merging([
                        "REDIS_URL": try TestRedis.url(),
                        "AUTH_SERVICE_URL": "http://127.0.0.1:\(try #require(jwks.port))", "ORDERS_SERVICE_URL": ordersURL,
                    ]) { $1 })
                    var configuration = CustomersConfiguration(environment: &environment)
                    try environment.validate()
                    configuration.base.service = .testing(name: "customers")
                    let application = buildApplication(configuration, httpClient: Self.client)
                    try await application.test(.live) { client in
                        try await body(Context(client: client, issuer: issuer, orders: orders))
                    }
                }
            }
        }
    }
}

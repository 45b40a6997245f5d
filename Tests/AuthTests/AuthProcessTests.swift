@testable import Auth
import FlotillaKit
import FlotillaKitTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The `auth` binary as a real process, and another service verifying its tokens over
/// libcurl the way every service in the fleet will.
@Suite("auth process", .serialized)
struct AuthProcessTests {
    static let client = FlotillaHTTPClient(configuration: .init(userAgent: "auth-process-tests/1.0"))

    func environment() throws -> [String: String] {
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("auth-process-\(UUID().uuidString)").path
        return [
            "DATABASE_URL": try TestDatabase.url(),
            "DB_SCHEMA": "auth_p\(UUID().uuidString.prefix(8).lowercased())",
            "REDIS_URL": try TestRedis.url(),
            "AUTH_REDIS_PREFIX": "test:authp:\(UUID().uuidString.prefix(8)):",
            "AUTH_SIGNING_KEYS_DIR": keys,
            "AUTH_DEV_MODE": "true",
            "PASSWORD_SCRYPT_LOG_N": "10",
        ]
    }

    func json(_ reply: HTTPTestClient.Reply) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any] ?? [:]
    }

    @Test func servesTheOpsContractAndCountsSecurityEvents() async throws {
        let service = try ServiceProcess(executable: "auth", environment: try environment())
        defer { service.stop() }
        try await service.waitUntilAnswering("/ready")

        let email = "process-\(UUID().uuidString.prefix(8))@example.com"
        let json = [("Content-Type", "application/json")]
        let register = try await HTTPTestClient.send("POST", service.baseURL + "/v1/register", headers: json, body: #"{"email":"\#(email)","password":"correct horse battery","name":"P"}"#)
        #expect(register.status == 201)
        let bad = try await HTTPTestClient.send("POST", service.baseURL + "/v1/login", headers: json, body: #"{"email":"\#(email)","password":"wrong wrong wrong"}"#)
        #expect(bad.status == 401)
        let good = try await HTTPTestClient.send("POST", service.baseURL + "/v1/login", headers: json, body: #"{"email":"\#(email)","password":"correct horse battery"}"#)
        #expect(good.status == 200)

        let health = try await HTTPTestClient.send("GET", service.baseURL + "/health")
        #expect(health.status == 200)
        #expect(try await HTTPTestClient.send("GET", service.baseURL + "/openapi.json").status == 200)
        let metrics = try await HTTPTestClient.send("GET", service.baseURL + "/metrics")
        #expect(metrics.body.contains(#"auth_security_events_total{event="login",outcome="failure"} 1"#))
        #expect(metrics.body.contains(#"auth_security_events_total{event="login",outcome="success"} 1"#))
        #expect(metrics.body.contains(#"auth_security_events_total{event="register",outcome="success"} 1"#))
        let lint = try await Promtool.checkMetrics(metrics.body)
        #expect(lint.status == 0 && lint.findings.isEmpty, "promtool: \(lint.findings)")

        // Logs are JSON lines; no password or token in any of them.
        let lines = service.outputLines
        #expect(lines.contains { $0.contains(#""event":"login""#) && $0.contains(#""outcome":"failure""#) })
        #expect(!lines.contains { $0.contains("correct horse battery") || $0.contains("wrong wrong wrong") || $0.contains("eyJ") })
    }

    @Test func anotherServiceRejectsATokenOnceItsUserLogsOut() async throws {
        let service = try ServiceProcess(executable: "auth", environment: try environment())
        defer { service.stop() }
        try await service.waitUntilAnswering("/ready")
        let json = [("Content-Type", "application/json")]
        let email = "consumer-\(UUID().uuidString.prefix(8))@example.com"
        _ = try await HTTPTestClient.send("POST", service.baseURL + "/v1/register", headers: json, body: #"{"email":"\#(email)","password":"correct horse battery","name":"C"}"#)
        let login = try await HTTPTestClient.send("POST", service.baseURL + "/v1/login", headers: json, body: #"{"email":"\#(email)","password":"correct horse battery"}"#)
        let token = try #require(try self.json(login)["access_token"] as? String)

        // A consumer service: the kit middleware, the JWKS from the auth process, the shared denylist.
        let redis = try TestRedis.makeClient()
        let consumer = KitTestApplication(build: { runtime, router in
            var environment = EnvironmentReader(["AUTH_SERVICE_URL": service.baseURL])
            let verifier = runtime.makeTokenVerifier(
                TokenVerifierConfiguration(environment: &environment), environment: environment,
                client: Self.client, denylist: TokenDenylist(client: redis))
            router.group("/orders").add(middleware: AuthenticationMiddleware(verifier: verifier))
                .get { _, context -> String in try context.requirePrincipal().subject }
            return [redis]
        })
        try await consumer.application.test(.live) { client async throws in
            let before = try await client.execute(uri: "/orders", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(before.status == .ok)
            let logout = try await HTTPTestClient.send("POST", service.baseURL + "/v1/logout", headers: [("Authorization", "Bearer \(token)")])
            #expect(logout.status == 204)
            let after = try await client.execute(uri: "/orders", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(after.status == .unauthorized)
            #expect(String(buffer: after.body).contains("revoked"))
        }
    }
}

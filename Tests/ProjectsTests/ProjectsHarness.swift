import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Projects

/// The projects service in-process over real HTTP, on its own PostgreSQL schema and Redis
/// prefix, with a JWKS server so tokens from ``TestTokenIssuer`` verify.
enum ProjectsHarness {
    static let httpClient = FlotillaHTTPClient(configuration: .init(userAgent: "projects-tests/1.0"))

    struct Context: Sendable {
        let api: APITestClient
        let issuer: TestTokenIssuer
        let pool: PostgresPool
        let configuration: ProjectsConfiguration
        let port: Int

        func token(_ subject: String = "alice", roles: [Role] = [.member]) async throws -> String {
            try await issuer.token(subject: subject, roles: roles)
        }

        func send(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, token: String?) async throws -> APITestClient.Reply {
            try await api.send(method, uri, json: json, token: token)
        }

        /// Create project `key` owned by `owner` (whose token is returned).
        @discardableResult
        func project(_ key: String = "WEB", owner: String = "alice", template: String = "software") async throws -> String {
            let token = try await self.token(owner)
            let reply = try await send(.post, "/projects", json: #"{"key": "\#(key)", "name": "Project \#(key)", "template": "\#(template)"}"#, token: token)
            #expect(reply.status == .created, "\(reply.body)")
            return token
        }

        /// Add `user` to `key` with `role`, as `owner`.
        func add(_ user: String, role: String, to key: String = "WEB", as owner: String = "alice") async throws {
            let reply = try await send(.post, "/projects/\(key)/members", json: #"{"user_id": "\#(user)", "role": "\#(role)"}"#, token: try await token(owner))
            #expect(reply.status == .created, "\(reply.body)")
        }
    }

    /// Run `body` against the service, once a harness slot is free.
    static func run(_ body: @escaping @Sendable (Context) async throws -> Void) async throws {
        try await HarnessSlots.services.run { try await runInSlot(body) }
    }

    private static func runInSlot(_ body: @escaping @Sendable (Context) async throws -> Void) async throws {
        let issuer = try await TestTokenIssuer()
        let schema = "projects_t\(UUID().uuidString.prefix(8).lowercased())"
        try await issuer.jwksServer().application.test(.live) { jwks in
            var environment = EnvironmentReader(try TestDatabase.serviceEnvironment(schema: schema).merging([
                "REDIS_URL": try TestRedis.url(),
                "PROJECTS_REDIS_PREFIX": "test:projects:\(UUID().uuidString.prefix(8)):",
                "AUTH_SERVICE_URL": "http://127.0.0.1:\(try #require(jwks.port))",
            ]) { $1 })
            var configuration = ProjectsConfiguration(environment: &environment)
            try environment.validate()
            configuration.base.service = ServiceConfiguration.testing(name: "projects")
            let application = buildApplication(configuration, httpClient: Self.httpClient)
            let settings = configuration
            let pool = try TestDatabase.makePool { $0.schema = schema }
            try await application.test(.live) { client in
                try await body(Context(api: APITestClient(client), issuer: issuer, pool: pool, configuration: settings, port: try #require(client.port)))
            }
            await pool.close()
        }
    }
}

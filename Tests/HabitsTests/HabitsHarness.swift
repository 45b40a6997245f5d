import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Habits

/// The habits service in-process over real HTTP, on its own PostgreSQL schema and Redis
/// prefix, with a JWKS server so tokens from ``TestTokenIssuer`` verify.
enum HabitsHarness {
    static let httpClient = FlotillaHTTPClient(configuration: .init(userAgent: "habits-tests/1.0"))

    struct Context: Sendable {
        let api: APITestClient
        let issuer: TestTokenIssuer
        let pool: PostgresPool
        let redisPrefix: String

        func token(_ subject: String = "alice", roles: [Role] = [.member]) async throws -> String {
            try await issuer.token(subject: subject, roles: roles)
        }

        func send(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, token: String?) async throws -> APITestClient.Reply {
            try await api.send(method, uri, json: json, token: token)
        }

        /// Create a habit and return its id.
        func createHabit(_ json: String = #"{"name": "Read"}"#, token: String) async throws -> String {
            let reply = try await send(.post, "/habits", json: json, token: token)
            #expect(reply.status == .created, "\(reply.body)")
            return try #require(reply.json["id"] as? String)
        }
    }

    /// Today in UTC, the zone habits get by default.
    static var today: LocalDate { today(in: "UTC") }

    /// Today in `zone` (a habit's own day: between 23:00 and 24:00 UTC, Berlin is a day ahead).
    static func today(in zone: String) -> LocalDate { HabitClock.system.today(in: zone) }

    static func run(environment overrides: [String: String] = [:], _ body: @escaping @Sendable (Context) async throws -> Void) async throws {
        // One of the suite's harness slots: a bounded number of services run at once.
        try await HarnessSlots.services.run {
            let issuer = try await TestTokenIssuer()
            let schema = "habits_t\(UUID().uuidString.prefix(8).lowercased())"
            let redisPrefix = "test:habits:\(UUID().uuidString.prefix(8)):"
            try await issuer.jwksServer().application.test(.live) { jwks in
                var values = try TestDatabase.serviceEnvironment(schema: schema).merging([
                    "DB_POOL_MAX_CONNECTIONS": "8",
                    "REDIS_URL": try TestRedis.url(), "HABITS_REDIS_PREFIX": redisPrefix,
                    "AUTH_SERVICE_URL": "http://127.0.0.1:\(try #require(jwks.port))",
                ]) { $1 }
                values.merge(overrides) { $1 }
                var environment = EnvironmentReader(values)
                var configuration = HabitsConfiguration(environment: &environment)
                try environment.validate()
                configuration.base.service = ServiceConfiguration.testing(name: "habits")
                let application = buildApplication(configuration, httpClient: Self.httpClient)
                let pool = try TestDatabase.makePool { $0.schema = schema }
                try await application.test(.live) { client in
                    try await body(Context(api: APITestClient(client), issuer: issuer, pool: pool, redisPrefix: redisPrefix))
                }
                await pool.close()
            }
        }
    }
}

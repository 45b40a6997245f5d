import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Users

/// The users service in-process over real HTTP, on its own schema, Redis prefix and stream
/// namespace, with a JWKS server so tokens from ``TestTokenIssuer`` verify. Registrations
/// reach it as auth's relay would publish them, through a real Redis stream.
enum UsersHarness {
    static let httpClient = FlotillaHTTPClient(configuration: .init(userAgent: "users-tests/1.0"))

    struct Context: Sendable {
        let api: APITestClient
        let issuer: TestTokenIssuer
        let pool: PostgresPool
        let redis: RedisClient
        let streamPrefix: String

        func token(_ subject: String = "alice", roles: [Role] = [.member]) async throws -> String {
            try await issuer.token(subject: subject, roles: roles)
        }

        func send(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, token: String?) async throws -> APITestClient.Reply {
            try await api.send(method, uri, json: json, token: token)
        }

        /// Publish `user.registered` as auth's relay would; returns the envelope.
        @discardableResult
        func publishRegistration(_ user: String, email: String? = nil, name: String? = nil) async throws -> EventEnvelope {
            let envelope = TestEvents.envelope(
                "user.registered", from: "auth", aggregate: user, actor: user,
                data: ["user_id": .string(user), "email": .string(email ?? "\(user)@example.com"), "name": .string(name ?? user.capitalized)])
            try await republish(envelope)
            return envelope
        }

        /// Put `envelope` on auth's stream again (a redelivery, a replay).
        func republish(_ envelope: EventEnvelope) async throws {
            try await TestEvents.publish(envelope, redis: redis, prefix: streamPrefix)
        }

        /// Register `user` and wait until their profile exists; their token.
        @discardableResult
        func register(_ user: String, email: String? = nil) async throws -> String {
            try await publishRegistration(user, email: email)
            try await waitUntil("\(user)'s profile is made") { try await profileCount(user) == 1 }
            return try await token(user)
        }

        func profileCount(_ user: String) async throws -> Int {
            try await pool.query("SELECT count(*)::int AS n FROM profiles WHERE user_id = $1", [user]).rows[0].decode("n", as: Int.self)
        }

        /// Create organization `slug` owned by `owner` (registered first); the owner's token.
        @discardableResult
        func organization(_ slug: String = "acme", owner: String = "alice") async throws -> String {
            let token = try await register(owner)
            let reply = try await send(.post, "/organizations", json: #"{"slug": "\#(slug)", "name": "Org \#(slug)"}"#, token: token)
            #expect(reply.status == .created, "\(reply.body)")
            return token
        }

        /// Invite `user` (registered first, with `user@example.com`) to `slug` as `role` and
        /// accept; the new member's token.
        @discardableResult
        func join(_ user: String, as role: String = "member", to slug: String = "acme", invitedBy owner: String = "alice") async throws -> String {
            let memberToken = try await register(user)
            let invited = try await send(
                .post, "/organizations/\(slug)/invitations", json: #"{"email": "\#(user)@example.com", "role": "\#(role)"}"#, token: try await token(owner))
            #expect(invited.status == .created, "\(invited.body)")
            let token = try #require(invited.json["token"] as? String)
            let accepted = try await send(.post, "/invitations/accept", json: #"{"token": "\#(token)"}"#, token: memberToken)
            #expect(accepted.status == .ok, "\(accepted.body)")
            return memberToken
        }
    }

    /// Run `body` against the service, once a harness slot is free.
    static func run(environment overrides: [String: String] = [:], _ body: @escaping @Sendable (Context) async throws -> Void) async throws {
        try await HarnessSlots.services.run {
            let issuer = try await TestTokenIssuer()
            let unique = UUID().uuidString.prefix(8).lowercased()
            let schema = "users_t\(unique)"
            try await issuer.jwksServer().application.test(.live) { jwks in
                var values = try TestDatabase.serviceEnvironment(schema: schema).merging([
                    "REDIS_URL": try TestRedis.url(), "AUTH_SERVICE_URL": "http://127.0.0.1:\(try #require(jwks.port))",
                    "USERS_REDIS_PREFIX": "test:users:\(unique):", "EVENTS_STREAM_PREFIX": "test:users-\(unique):",
                    "EVENTS_READ_BLOCK_SECONDS": "0.2", "EVENTS_RELAY_POLL_SECONDS": "0.2",
                ]) { $1 }
                values.merge(overrides) { $1 }
                var environment = EnvironmentReader(values)
                var configuration = UsersConfiguration(environment: &environment)
                try environment.validate()
                configuration.base.service = .testing(name: "users")
                let application = buildApplication(configuration, httpClient: httpClient)
                let streamPrefix = values["EVENTS_STREAM_PREFIX"]!
                let pool = try TestDatabase.makePool { $0.schema = schema }
                let redis = try TestRedis.makeClient()
                try await application.test(.live) { client in
                    try await body(Context(api: APITestClient(client), issuer: issuer, pool: pool, redis: redis, streamPrefix: streamPrefix))
                }
                await pool.close()
                await redis.close()
            }
        }
    }
}

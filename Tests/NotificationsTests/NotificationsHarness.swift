import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Notifications

/// The notifications service in-process over real HTTP, on its own schema, stream namespace
/// and mail directory, with a JWKS server so tokens from ``TestTokenIssuer`` verify. Events
/// reach it through real Redis streams, as relays publish them.
enum NotificationsHarness {
    static let httpClient = FlotillaHTTPClient(configuration: .init(userAgent: "notifications-tests/1.0"))

    struct Context: Sendable {
        let api: APITestClient
        let issuer: TestTokenIssuer
        let pool: PostgresPool
        let redis: RedisClient
        let streamPrefix: String
        let mailDirectory: String

        func token(_ subject: String = "alice") async throws -> String {
            try await issuer.token(subject: subject)
        }

        /// A service token allowed to notify users directly.
        func serviceToken(scopes: [String] = ["notifications:send"]) async throws -> String {
            try await issuer.token(subject: "tasks", roles: [], scopes: scopes, kind: .service)
        }

        func send(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, token: String?) async throws -> APITestClient.Reply {
            try await api.send(method, uri, json: json, token: token)
        }

        /// Publish an event as `source`'s relay would; returns it.
        @discardableResult
        func publish(_ type: String, from source: String, aggregate: String = "a1", actor: String? = nil, data: [String: JSONValue]) async throws -> EventEnvelope {
            let envelope = TestEvents.envelope(type, from: source, aggregate: aggregate, actor: actor, data: data)
            try await TestEvents.publish(envelope, redis: redis, prefix: streamPrefix)
            return envelope
        }

        /// `.eml` files written so far (no SMTP relay configured).
        func mails() throws -> [String] {
            guard FileManager.default.fileExists(atPath: mailDirectory) else { return [] }
            return try FileManager.default.contentsOfDirectory(atPath: mailDirectory).filter { $0.hasSuffix(".eml") }.sorted()
                .map { try String(contentsOfFile: "\(mailDirectory)/\($0)", encoding: .utf8) }
        }

        /// `userID`'s inbox items (kind, title), oldest first, straight from the table.
        func stored(for userID: String) async throws -> [(kind: String, title: String)] {
            try await pool.query("SELECT kind, title FROM notifications WHERE user_id = $1 ORDER BY position", [userID]).rows.map {
                (try $0.decode("kind", as: String.self), try $0.decode("title", as: String.self))
            }
        }
    }

    /// Run one application (or `replicas` on the same schema) for the duration of `body`.
    static func run(
        replicas: Int = 1, environment overrides: [String: String] = [:], _ body: @escaping @Sendable (Context) async throws -> Void
    ) async throws {
        // One of the suite's harness slots: a bounded number of services run at once.
        try await HarnessSlots.services.run {
            let issuer = try await TestTokenIssuer()
            let schema = "notif_t\(UUID().uuidString.prefix(8).lowercased())"
            let mailDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("mail-\(schema)").path
            try await issuer.jwksServer().application.test(.live) { jwks in
                var values = try TestDatabase.serviceEnvironment(schema: schema).merging([
                    "REDIS_URL": try TestRedis.url(), "AUTH_SERVICE_URL": "http://127.0.0.1:\(try #require(jwks.port))",
                    "NOTIFICATIONS_MAIL_DIR": mailDirectory, "NOTIFICATIONS_POLL_SECONDS": "0.05", "NOTIFICATIONS_EMAIL_RETRY_SECONDS": "0.05",
                    "EVENTS_READ_BLOCK_SECONDS": "0.2", "EVENTS_RELAY_POLL_SECONDS": "0.2",
                ]) { $1 }
                values.merge(overrides) { $1 }
                let applications = try (0..<replicas).map { replica in
                    var environment = EnvironmentReader(values.merging(["EVENTS_CONSUMER_NAME": "notifications-\(replica)"]) { $1 })
                    var configuration = NotificationsConfiguration(environment: &environment)
                    try environment.validate()
                    configuration.base.service = .testing(name: "notifications")
                    return try buildApplication(configuration, httpClient: httpClient)
                }
                let pool = try TestDatabase.makePool { $0.schema = schema }
                let redis = try TestRedis.makeClient()
                let prefix = values["EVENTS_STREAM_PREFIX"] ?? ""
                try await runAll(applications[...]) { client in
                    try await body(Context(api: APITestClient(client), issuer: issuer, pool: pool, redis: redis, streamPrefix: prefix, mailDirectory: mailDirectory))
                }
                await pool.close()
                await redis.close()
            }
        }
    }

    /// Run every application live; `body` talks to the first.
    private static func runAll(_ applications: ArraySlice<FlotillaApplication>, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        guard let first = applications.first else { return }
        try await first.test(.live) { client in
            if applications.count == 1 { return try await body(client) }
            try await runAll(applications.dropFirst()) { _ in try await body(client) }
        }
    }
}

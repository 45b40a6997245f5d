import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Time

/// The time service in-process over real HTTP, in front of the real `projects` and `tasks`
/// binaries (schemas of their own), all verifying tokens from one ``TestTokenIssuer`` and
/// sharing one event-stream namespace.
enum TimeHarness {
    static let httpClient = FlotillaHTTPClient(configuration: .init(userAgent: "time-tests/1.0"))

    struct Context: Sendable {
        let api: APITestClient
        let issuer: TestTokenIssuer
        let pool: PostgresPool
        let redis: RedisClient
        let projects: ServiceProcess
        let tasks: ServiceProcess
        let streamPrefix: String
        let port: Int

        func token(_ subject: String = "alice", roles: [Role] = [.member]) async throws -> String {
            try await issuer.token(subject: subject, roles: roles)
        }

        func send(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, as user: String = "alice", headers: HTTPFields = [:]) async throws -> APITestClient.Reply {
            try await api.send(method, uri, json: json, token: try await token(user), headers: headers)
        }

        /// A call to a neighbour as `user`; its JSON.
        @discardableResult
        func call(_ service: ServiceProcess, _ method: String, _ path: String, json: String? = nil, as user: String = "alice") async throws -> [String: Any] {
            try await NeighbourClient(issuer: issuer).call(service, method, path, json: json, as: user)
        }

        /// Project `key` (kanban, no starting tasks) owned by `owner`, with `members` as `[user: role]`.
        func project(_ key: String = "WEB", owner: String = "alice", members: [String: String] = [:]) async throws {
            try await NeighbourClient(issuer: issuer).project(key, in: projects, owner: owner, members: members)
        }

        /// Tell time `user`'s zone as users' relay would, and wait until it is kept.
        func zone(_ zone: String, for user: String) async throws {
            let envelope = TestEvents.envelope(
                "user.profile_updated", from: "users", aggregate: user, actor: user,
                data: ["user_id": .string(user), "handle": .string(user), "display_name": .string(user), "time_zone": .string(zone), "changed": ["time_zone"]])
            try await TestEvents.publish(envelope, redis: redis, prefix: streamPrefix)
            try await waitUntil("\(user)'s zone is \(zone)") {
                try await pool.query("SELECT time_zone FROM user_zones WHERE user_id = $1", [user]).rows.first?.decode("time_zone", as: String.self) == zone
            }
        }

        /// Log an entry; the reply.
        func log(_ json: String, as user: String = "alice") async throws -> APITestClient.Reply {
            try await send(.post, "/time-entries", json: json, as: user)
        }
    }

    static func run(environment overrides: [String: String] = [:], _ body: @escaping @Sendable (Context) async throws -> Void) async throws {
        try await HarnessSlots.services.run { try await runInSlot(environment: overrides, body) }
    }

    private static func runInSlot(environment overrides: [String: String], _ body: @escaping @Sendable (Context) async throws -> Void) async throws {
        let issuer = try await TestTokenIssuer()
        let unique = UUID().uuidString.prefix(8).lowercased()
        try await issuer.jwksServer().application.test(.live) { jwks in
            let authURL = "http://127.0.0.1:\(try #require(jwks.port))"
            let neighbours = NeighbourServices(tag: "time", authURL: authURL, unique: String(unique))
            let events = neighbours.events
            let projects = try await neighbours.start("projects")
            defer { projects.stop() }
            let tasks = try await neighbours.start("tasks", ["PROJECTS_SERVICE_URL": projects.baseURL])
            defer { tasks.stop() }
            let schema = "time_t\(unique)"
            var values = try TestDatabase.serviceEnvironment(schema: schema).merging([
                "REDIS_URL": try TestRedis.url(), "TIME_REDIS_PREFIX": "test:time:\(unique):", "AUTH_SERVICE_URL": authURL,
                "PROJECTS_SERVICE_URL": projects.baseURL, "TASKS_SERVICE_URL": tasks.baseURL,
            ].merging(events) { $1 }) { $1 }
            values.merge(overrides) { $1 }
            var environment = EnvironmentReader(values)
            var configuration = TimeConfiguration(environment: &environment)
            try environment.validate()
            configuration.base.service = ServiceConfiguration.testing(name: "time")
            let application = buildApplication(configuration, httpClient: Self.httpClient)
            let pool = try TestDatabase.makePool { $0.schema = schema }
            let redis = try TestRedis.makeClient()
            let prefix = values["EVENTS_STREAM_PREFIX"]!
            try await application.test(.live) { client in
                try await body(Context(api: APITestClient(client), issuer: issuer, pool: pool, redis: redis, projects: projects, tasks: tasks, streamPrefix: prefix, port: try #require(client.port)))
            }
            await pool.close()
            await redis.close()
        }
    }
}

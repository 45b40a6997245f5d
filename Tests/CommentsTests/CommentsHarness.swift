import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Comments

/// The comments service in-process over real HTTP, in front of the real `projects`, `tasks`
/// and `users` binaries (schemas of their own), all verifying tokens from one
/// ``TestTokenIssuer`` and sharing one event-stream namespace.
enum CommentsHarness {
    static let httpClient = FlotillaHTTPClient(configuration: .init(userAgent: "comments-tests/1.0"))

    struct Context: Sendable {
        let api: APITestClient
        let issuer: TestTokenIssuer
        let pool: PostgresPool
        let redis: RedisClient
        let projects: ServiceProcess
        let tasks: ServiceProcess
        let users: ServiceProcess
        let streamPrefix: String

        func token(_ subject: String) async throws -> String {
            try await issuer.token(subject: subject, roles: [.member])
        }

        func send(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, as user: String = "alice") async throws -> APITestClient.Reply {
            try await api.send(method, uri, json: json, token: try await token(user))
        }

        /// A call to a neighbour as `user`; its JSON.
        @discardableResult
        func call(_ service: ServiceProcess, _ method: String, _ path: String, json: String? = nil, as user: String = "alice") async throws -> [String: Any] {
            try await NeighbourClient(issuer: issuer).call(service, method, path, json: json, as: user)
        }

        /// Project `key` owned by `owner` with `members` (`[user: role]`) and one task; the task's key.
        @discardableResult
        func project(_ key: String = "WEB", owner: String = "alice", members: [String: String] = [:]) async throws -> String {
            try await NeighbourClient(issuer: issuer).project(key, in: projects, owner: owner, members: members)
            let task = try await call(tasks, "POST", "/tasks", json: #"{"project": "\#(key)", "title": "First task"}"#, as: owner)
            return try #require(task["key"] as? String)
        }

        /// Give `users` profiles (handle = the id) as auth's registrations would, and wait until they resolve.
        func people(_ people: String...) async throws {
            for user in people {
                try await TestEvents.publish(
                    TestEvents.envelope("user.registered", from: "auth", aggregate: user, actor: user,
                                        data: ["user_id": .string(user), "email": .string("\(user)@example.com"), "name": .string(user.capitalized)]),
                    redis: redis, prefix: streamPrefix)
            }
            try await waitUntil("\(people) resolve in users") {
                let reply = try await HTTPTestClient.send(
                    "GET", users.baseURL + "/users/resolve?handles=\(people.joined(separator: ","))", headers: [("Authorization", "Bearer \(try await token("alice"))")])
                let resolved = (try? JSONSerialization.jsonObject(with: Data(reply.body.utf8))) as? [String: Any]
                return (resolved?["data"] as? [Any])?.count == people.count
            }
        }

        /// Post `body` on `entity` as `user`; the comment's JSON (expects 201).
        func post(_ body: String, on entity: String, replyTo: String? = nil, as user: String = "alice") async throws -> [String: Any] {
            var object: [String: Any] = ["entity": entity, "body": body]
            if let replyTo { object["reply_to"] = replyTo }
            let json = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
            let reply = try await send(.post, "/comments", json: json, as: user)
            #expect(reply.status == .created, "\(reply.body)")
            return reply.json
        }
    }

    static func run(environment overrides: [String: String] = [:], _ body: @escaping @Sendable (Context) async throws -> Void) async throws {
        try await HarnessSlots.services.run { try await runInSlot(environment: overrides, body) }
    }

    private static func runInSlot(environment overrides: [String: String], _ body: @escaping @Sendable (Context) async throws -> Void) async throws {
        let issuer = try await TestTokenIssuer()
        try await issuer.jwksServer().application.test(.live) { jwks in
            let neighbours = NeighbourServices(tag: "comments", authURL: "http://127.0.0.1:\(try #require(jwks.port))")
            let projects = try await neighbours.start("projects")
            defer { projects.stop() }
            let tasks = try await neighbours.start("tasks", ["PROJECTS_SERVICE_URL": projects.baseURL])
            defer { tasks.stop() }
            let users = try await neighbours.start("users")
            defer { users.stop() }
            let schema = neighbours.schema(of: "comments")
            var values = try TestDatabase.serviceEnvironment(schema: schema).merging([
                "REDIS_URL": try TestRedis.url(), "COMMENTS_REDIS_PREFIX": "test:comments:\(neighbours.unique):", "AUTH_SERVICE_URL": neighbours.authURL,
                "PROJECTS_SERVICE_URL": projects.baseURL, "TASKS_SERVICE_URL": tasks.baseURL, "USERS_SERVICE_URL": users.baseURL,
            ].merging(neighbours.events) { $1 }) { $1 }
            values.merge(overrides) { $1 }
            var environment = EnvironmentReader(values)
            var configuration = CommentsConfiguration(environment: &environment)
            try environment.validate()
            configuration.base.service = ServiceConfiguration.testing(name: "comments")
            let application = buildApplication(configuration, httpClient: Self.httpClient)
            let pool = try TestDatabase.makePool { $0.schema = schema }
            let redis = try TestRedis.makeClient()
            try await application.test(.live) { client in
                try await body(Context(
                    api: APITestClient(client), issuer: issuer, pool: pool, redis: redis, projects: projects, tasks: tasks, users: users,
                    streamPrefix: neighbours.streamPrefix))
            }
            await pool.close()
            await redis.close()
        }
    }
}

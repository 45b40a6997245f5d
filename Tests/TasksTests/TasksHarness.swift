import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Tasks

/// The tasks service in-process over real HTTP, in front of the real `projects` binary (its
/// own schema), both verifying tokens from one ``TestTokenIssuer`` and sharing one event
/// stream namespace, so project events reach tasks and task events reach projects.
enum TasksHarness {
    static let httpClient = FlotillaHTTPClient(configuration: .init(userAgent: "tasks-tests/1.0"))

    struct Context: Sendable {
        let api: APITestClient
        let issuer: TestTokenIssuer
        let pool: PostgresPool
        let projects: ServiceProcess
        let projectsSchema: String
        let port: Int
        /// The event streams' namespace this harness's services share.
        let streamPrefix: String

        /// Wait until tasks has handled every event projects has recorded so far (their
        /// effects on cached access, say, are then behind us).
        func caughtUpWithProjects() async throws {
            try await waitUntil("tasks has handled projects' events") {
                try await pool.query(
                    "SELECT count(*)::int AS n FROM \(projectsSchema).recorded_events o WHERE NOT EXISTS (SELECT 1 FROM processed_events p WHERE p.event_id = o.id)"
                ).rows[0].decode("n", as: Int.self) == 0
            }
        }

        func token(_ subject: String = "alice", roles: [Role] = [.member]) async throws -> String {
            try await issuer.token(subject: subject, roles: roles)
        }

        func send(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, token: String?, headers: HTTPFields = [:]) async throws -> APITestClient.Reply {
            try await api.send(method, uri, json: json, token: token, headers: headers)
        }

        /// A call to the projects service.
        @discardableResult
        func projects(_ method: String, _ path: String, json: String? = nil, as user: String = "alice") async throws -> [String: Any] {
            let reply = try await HTTPTestClient.send(
                method, projects.baseURL + path,
                headers: [("Authorization", "Bearer \(try await token(user))"), ("Content-Type", "application/json")], body: json)
            #expect((200..<300).contains(reply.status), "\(method) \(path): \(reply.body)")
            return (try? JSONSerialization.jsonObject(with: Data(reply.body.utf8))) as? [String: Any] ?? [:]
        }

        /// Create project `key` (kanban: no starting tasks) owned by `owner`, with `members` as `[user: role]`.
        func project(_ key: String = "WEB", owner: String = "alice", members: [String: String] = [:], template: String = "kanban") async throws {
            try await projects("POST", "/projects", json: #"{"key": "\#(key)", "name": "Project \#(key)", "template": "\#(template)"}"#, as: owner)
            for (user, role) in members.sorted(by: { $0.key < $1.key }) {
                try await projects("POST", "/projects/\(key)/members", json: #"{"user_id": "\#(user)", "role": "\#(role)"}"#, as: owner)
            }
        }

        /// The id of the state called `name` in project `key`.
        func state(_ name: String, in key: String = "WEB") async throws -> String {
            let states = try await projects("GET", "/projects/\(key)/states")["data"] as? [[String: Any]] ?? []
            return try #require(states.first { $0["name"] as? String == name }?["id"] as? String, "no state \(name)")
        }

        /// Create a task and return its JSON.
        @discardableResult
        func task(_ json: String, as user: String = "alice") async throws -> [String: Any] {
            let reply = try await send(.post, "/tasks", json: json, token: try await token(user))
            #expect(reply.status == .created, "\(reply.body)")
            return reply.json
        }

        /// Move task `reference` to state `name`; the reply.
        func move(_ reference: String, to name: String, as user: String = "alice", in key: String = "WEB") async throws -> APITestClient.Reply {
            try await send(.patch, "/tasks/\(reference)", json: #"{"state_id": "\#(try await state(name, in: key))"}"#, token: try await token(user))
        }
    }

    /// Run `body` against tasks (and projects), once a harness slot is free.
    static func run(environment overrides: [String: String] = [:], _ body: @escaping @Sendable (Context) async throws -> Void) async throws {
        try await HarnessSlots.services.run { try await runInSlot(environment: overrides, body) }
    }

    private static func runInSlot(environment overrides: [String: String], _ body: @escaping @Sendable (Context) async throws -> Void) async throws {
        let issuer = try await TestTokenIssuer()
        let unique = UUID().uuidString.prefix(8).lowercased()
        try await issuer.jwksServer().application.test(.live) { jwks in
            let authURL = "http://127.0.0.1:\(try #require(jwks.port))"
            let neighbours = NeighbourServices(tag: "tasks", authURL: authURL, unique: String(unique))
            let events = neighbours.events
            let projectsSchema = neighbours.schema(of: "projects")
            let projects = try await neighbours.start("projects")
            defer { projects.stop() }
            let schema = "tasks_t\(unique)"
            var values = try TestDatabase.serviceEnvironment(schema: schema).merging([
                "REDIS_URL": try TestRedis.url(), "TASKS_REDIS_PREFIX": "test:tasks:\(unique):",
                "AUTH_SERVICE_URL": authURL, "PROJECTS_SERVICE_URL": projects.baseURL,
            ].merging(events) { $1 }) { $1 }
            values.merge(overrides) { $1 }
            var environment = EnvironmentReader(values)
            var configuration = TasksConfiguration(environment: &environment)
            try environment.validate()
            configuration.base.service = ServiceConfiguration.testing(name: "tasks")
            let application = buildApplication(configuration, httpClient: Self.httpClient)
            let pool = try TestDatabase.makePool { $0.schema = schema }
            try await application.test(.live) { client in
                try await body(Context(api: APITestClient(client), issuer: issuer, pool: pool, projects: projects, projectsSchema: projectsSchema, port: try #require(client.port),
                                     streamPrefix: events["EVENTS_STREAM_PREFIX"]!))
            }
            await pool.close()
        }
    }
}

import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import Files

/// The files service in-process over real HTTP, on a storage directory of its own, in front of
/// the real `projects` and `tasks` binaries, all verifying tokens from one ``TestTokenIssuer``;
/// its blobs on the volume or in the test object store (moto, under a key prefix of its own).
enum FilesHarness {
    static let httpClient = FlotillaHTTPClient(configuration: .init(userAgent: "files-tests/1.0"))

    /// Where the blobs go: each suite that stores content runs once per backend.
    enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case volume
        case s3

        var testDescription: String { rawValue }

        func environment(unique: String) throws -> [String: String] {
            switch self {
            case .volume: return ["FILES_STORE": "volume"]
            case .s3: return try TestObjectStore.environment(variablePrefix: "FILES_S3_", keyPrefix: "files-\(unique)/").merging(["FILES_STORE": "s3"]) { $1 }
            }
        }
    }

    struct Context: Sendable {
        let api: APITestClient
        let issuer: TestTokenIssuer
        let pool: PostgresPool
        let projects: ServiceProcess
        let tasks: ServiceProcess
        let storage: String
        let configuration: FilesConfiguration
        /// The service's blob store, for looking behind its back.
        let store: any BlobStore

        func token(_ user: String) async throws -> String {
            try await issuer.token(subject: user, roles: [.member])
        }

        func send(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, as user: String = "alice", headers: HTTPFields = [:]) async throws -> APITestClient.Reply {
            try await api.send(method, uri, json: json, token: try await token(user), headers: headers)
        }

        /// `method uri` with `bytes` as the body; the reply with its body as raw bytes too.
        func raw(_ method: HTTPRequest.Method, _ uri: String, bytes: [UInt8]? = nil, as user: String? = "alice", headers: HTTPFields = [:]) async throws -> Raw {
            var headers = headers
            if let user { headers[.authorization] = "Bearer \(try await token(user))" }
            return try await api.client.execute(uri: uri, method: method, headers: headers, body: bytes.map { ByteBuffer(bytes: $0) }) { response in
                Raw(status: response.status, headers: response.headers, bytes: Array(buffer: response.body))
            }
        }

        /// Upload `bytes` as `name` on `entity`; the reply.
        func upload(_ bytes: [UInt8], name: String = "notes.txt", on entity: String = "task:WEB-1", type: String? = nil, as user: String = "alice") async throws -> Raw {
            var headers = HTTPFields()
            if let type { headers[.contentType] = type }
            let escaped = FileName.percentEncoded(name)
            return try await raw(.post, "/files?entity=\(entity)&name=\(escaped)", bytes: bytes, as: user, headers: headers)
        }

        /// Project `key` owned by `owner` with `members`, and one task (`KEY-1`).
        func project(_ key: String = "WEB", owner: String = "alice", members: [String: String] = [:]) async throws {
            let neighbours = NeighbourClient(issuer: issuer)
            try await neighbours.project(key, in: projects, owner: owner, members: members)
            try await neighbours.call(tasks, "POST", "/tasks", json: #"{"project": "\#(key)", "title": "First task"}"#, as: owner)
        }

        func count(_ table: String) async throws -> Int {
            try await pool.query("SELECT count(*)::int AS n FROM \(table)").rows[0].decode("n", as: Int.self)
        }
    }

    /// A reply with a binary body.
    struct Raw: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let bytes: [UInt8]

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:] }
        var text: String { String(decoding: bytes, as: UTF8.self) }
        var errorCode: String? { json["error"] as? String }
    }

    static func run(
        _ backend: Backend = .volume, environment overrides: [String: String] = [:], _ body: @escaping @Sendable (Context) async throws -> Void
    ) async throws {
        try await HarnessSlots.services.run { try await runInSlot(backend, environment: overrides, body) }
    }

    private static func runInSlot(
        _ backend: Backend, environment overrides: [String: String], _ body: @escaping @Sendable (Context) async throws -> Void
    ) async throws {
        let issuer = try await TestTokenIssuer()
        try await issuer.jwksServer().application.test(.live) { jwks in
            let neighbours = NeighbourServices(tag: "files", authURL: "http://127.0.0.1:\(try #require(jwks.port))")
            let projects = try await neighbours.start("projects")
            defer { projects.stop() }
            let tasks = try await neighbours.start("tasks", ["PROJECTS_SERVICE_URL": projects.baseURL])
            defer { tasks.stop() }
            let storage = NSTemporaryDirectory() + "files-test-\(neighbours.unique)"
            defer { try? FileManager.default.removeItem(atPath: storage) }
            let schema = neighbours.schema(of: "files")
            var values = try TestDatabase.serviceEnvironment(schema: schema).merging([
                "REDIS_URL": try TestRedis.url(), "FILES_REDIS_PREFIX": "test:files:\(neighbours.unique):", "AUTH_SERVICE_URL": neighbours.authURL,
                "PROJECTS_SERVICE_URL": projects.baseURL, "TASKS_SERVICE_URL": tasks.baseURL, "FILES_STORAGE_PATH": storage,
                "FILES_LINK_PASSWORD_LOG_N": "10",
            ].merging(neighbours.events) { $1 }) { $1 }
            values.merge(try backend.environment(unique: neighbours.unique)) { $1 }
            values.merge(overrides) { $1 }
            var environment = EnvironmentReader(values)
            var configuration = FilesConfiguration(environment: &environment)
            try environment.validate()
            configuration.base.service = ServiceConfiguration.testing(name: "files")
            let settings = configuration
            let application = try buildApplication(settings, httpClient: Self.httpClient)
            let pool = try TestDatabase.makePool { $0.schema = schema }
            let store = try settings.makeBlobStore(runtime: ServiceRuntime(configuration: settings.base.service), client: Self.httpClient)
            try await application.test(.live) { client in
                try await body(Context(
                    api: APITestClient(client), issuer: issuer, pool: pool, projects: projects, tasks: tasks, storage: storage, configuration: settings,
                    store: store))
            }
            await pool.close()
        }
    }
}

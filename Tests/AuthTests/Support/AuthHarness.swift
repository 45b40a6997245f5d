@testable import Auth
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging

/// An auth service in-process on a real PostgreSQL schema and Redis key prefix of its own,
/// served over real HTTP (`.live`), with fast password hashing and its logs captured.
struct AuthHarness {
    let configuration: AuthConfiguration
    let logs: LogCapture

    /// - Parameters:
    ///   - keys: signing keys to put in the key directory (one fresh RS256 key by default).
    ///   - environment: extra or overriding variables.
    static func make(keys: [SigningKey]? = nil, environment overrides: [String: String] = [:]) throws -> AuthHarness {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("auth-keys-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for key in try keys ?? [TestKeys.rsa(kid: "test-rs")] {
            try key.pem.write(toFile: "\(directory)/\(key.kid).pem", atomically: true, encoding: .utf8)
        }
        return try make(keysDirectory: directory, environment: overrides)
    }

    static func make(keysDirectory: String, environment overrides: [String: String] = [:], schema: String? = nil) throws -> AuthHarness {
        let unique = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        var values = try TestDatabase.serviceEnvironment(schema: schema ?? "auth_t\(unique)").merging([
            "DB_POOL_MAX_CONNECTIONS": "4",
            "REDIS_URL": try TestRedis.url(),
            "AUTH_REDIS_PREFIX": "test:auth:\(unique):",
            "AUTH_SIGNING_KEYS_DIR": keysDirectory,
            "PASSWORD_SCRYPT_LOG_N": "10",
            "AUTH_BOOTSTRAP_ADMIN_EMAIL": "admin@example.com",
        ]) { $1 }
        values.merge(overrides) { $1 }
        var environment = EnvironmentReader(values)
        var configuration = AuthConfiguration(environment: &environment)
        try environment.validate()
        let logs = LogCapture()
        configuration.service = .testing(name: "auth", logs: logs)
        return AuthHarness(configuration: configuration, logs: logs)
    }

    /// Run the service over real HTTP for the duration of `body`; returns what `body` returns.
    @discardableResult
    func run<Value: Sendable>(_ body: @escaping @Sendable (AuthAPI) async throws -> Value) async throws -> Value {
        let application = try await buildApplication(configuration)
        return try await application.test(.live) { client in
            try await body(AuthAPI(client: client))
        }
    }

    /// Lines logged so far, for checks that secrets never appear.
    var logText: String { logs.allLines.joined(separator: "\n") }
}

/// A JSON-speaking client for the auth API under test.
struct AuthAPI: Sendable {
    let client: any TestClientProtocol

    struct Reply: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: String

        /// The body as a JSON object (empty when it is not one).
        var json: [String: any Sendable] {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: any Sendable] ?? [:]
        }

        subscript(_ key: String) -> String? { json[key] as? String }

        /// `error` of the standard envelope.
        var error: String? { self["error"] }

        /// `Retry-After` in whole seconds; nil when absent or not a number.
        var retryAfterSeconds: Int? { headers[.retryAfter].flatMap { Int($0) } }
    }

    func send(
        _ method: HTTPRequest.Method, _ path: String, json: [String: any Sendable]? = nil, token: String? = nil,
        headers extra: HTTPFields = [:], body raw: String? = nil
    ) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(bytes: Array(try JSONSerialization.data(withJSONObject: json)))
        } else if let raw {
            body = ByteBuffer(string: raw)
        }
        return try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
            Reply(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }

    // MARK: Flows most tests need

    /// A unique address, so tests never share an account or its throttling.
    static func uniqueEmail(_ name: String = "user") -> String {
        "\(name)-\(UUID().uuidString.prefix(8).lowercased())@example.com"
    }

    static let password = "correct horse battery staple"

    @discardableResult
    func register(_ email: String, password: String = AuthAPI.password, name: String = "Test User") async throws -> Reply {
        try await send(.post, "/v1/register", json: ["email": email, "password": password, "name": name])
    }

    func login(_ email: String, password: String = AuthAPI.password) async throws -> Reply {
        try await send(.post, "/v1/login", json: ["email": email, "password": password])
    }

    /// Register and log in; returns the token response.
    func registeredSession(_ email: String = AuthAPI.uniqueEmail()) async throws -> (email: String, access: String, refresh: String) {
        try await register(email)
        let reply = try await login(email)
        guard reply.status == .ok, let access = reply["access_token"], let refresh = reply["refresh_token"] else {
            throw HarnessError("login failed: \(reply.status) \(reply.body)")
        }
        return (email, access, refresh)
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

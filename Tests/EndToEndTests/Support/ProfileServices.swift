import FlotillaKit
import FlotillaKitTesting
import Foundation
import Testing

/// Real service binaries for one end-to-end test: each on its own schema, Redis prefix and
/// event-stream namespace (`unique`), sharing the suite's PostgreSQL and Redis.
struct ProfileServices {
    let unique = String(UUID().uuidString.prefix(8).lowercased())
    let tag: String

    /// What every service of the test shares: databases, logs, a fast relay and consumer.
    func common() throws -> [String: String] {
        [
            "DATABASE_URL": try TestDatabase.url(), "REDIS_URL": try TestRedis.url(), "LOG_LEVEL": "warning",
            "EVENTS_STREAM_PREFIX": "e2e:\(unique):", "EVENTS_RELAY_POLL_SECONDS": "0.2", "EVENTS_READ_BLOCK_SECONDS": "0.2",
        ]
    }

    /// `auth` in dev mode with ES256 keys of its own and cheap password hashing.
    func auth() throws -> ServiceProcess {
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(tag)-keys-\(unique)").path
        return try ServiceProcess(executable: "auth", environment: try common().merging([
            "DB_SCHEMA": "e2e_\(tag)_auth_\(unique)", "AUTH_SIGNING_KEYS_DIR": keys, "AUTH_DEV_MODE": "true",
            "AUTH_SIGNING_ALGORITHM": "es256", "AUTH_REDIS_PREFIX": "e2e:\(unique):auth:", "PASSWORD_SCRYPT_LOG_N": "10",
        ]) { $1 })
    }

    /// `executable` verifying tokens with `auth`, with `extra` settings.
    func service(_ executable: String, auth: ServiceProcess, _ extra: [String: String] = [:]) throws -> ServiceProcess {
        try ServiceProcess(executable: executable, environment: try common().merging([
            "DB_SCHEMA": "e2e_\(tag)_\(executable)_\(unique)", "AUTH_SERVICE_URL": auth.baseURL,
            "\(executable.uppercased())_REDIS_PREFIX": "e2e:\(unique):\(executable):",
        ].merging(extra) { $1 }) { $1 })
    }

    /// Register `name` through the gateway at `base` (`…/api/v1`) and log in.
    func account(_ name: String, base: String) async throws -> (id: String, email: String, bearer: [(String, String)]) {
        let email = "\(name.lowercased())-\(unique)@example.com"
        let jsonHeader = [("Content-Type", "application/json")]
        let registered = try await HTTPTestClient.send(
            "POST", base + "/auth/register", headers: jsonHeader, body: #"{"email": "\#(email)", "password": "correct horse battery staple", "name": "\#(name)"}"#)
        #expect(registered.status == 201, "\(registered.body)")
        let login = try await HTTPTestClient.send("POST", base + "/auth/login", headers: jsonHeader, body: #"{"email": "\#(email)", "password": "correct horse battery staple"}"#)
        let token = try #require(Self.json(login)["access_token"] as? String, "\(login.body)")
        return (try #require(Self.json(registered)["id"] as? String), email, [("Authorization", "Bearer \(token)")])
    }

    static func json(_ reply: HTTPTestClient.Reply) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(reply.body.utf8))) as? [String: Any] ?? [:]
    }
}

import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The short-lived tokens that carry a password-verified login to its second factor, in
/// Redis: each allows `maxAttempts` codes within `lifetime`, and is gone once used.
struct MFAChallenges: Sendable {
    let client: RedisClient
    let lifetime: Duration
    /// e.g. `flotilla:auth:mfa:`
    let prefix: String
    var maxAttempts = 5

    func create(userID: UUID) async throws -> OpaqueToken {
        let token = OpaqueToken.generate()
        _ = try await client.send("SET", key(token.value), userID.uuidString, "PX", String(lifetime.wholeMilliseconds))
        return token
    }

    /// The user a live challenge belongs to, or `nil`.
    func user(for token: String) async throws -> UUID? {
        try await client.send("GET", key(token)).string.flatMap(UUID.init(uuidString:))
    }

    /// Count a wrong code; the challenge is dropped after `maxAttempts`.
    func recordFailure(_ token: String) async throws {
        let attempts = try await client.send("INCR", key(token) + ":attempts").int ?? 0
        _ = try await client.send("PEXPIRE", key(token) + ":attempts", String(lifetime.wholeMilliseconds))
        if attempts >= maxAttempts { try await finish(token) }
    }

    /// Drop the challenge (after success or too many failures).
    func finish(_ token: String) async throws {
        _ = try await client.send("DEL", key(token), key(token) + ":attempts")
    }

    private func key(_ token: String) -> String {
        prefix + OpaqueToken.hash(token).base64EncodedString()
    }
}

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Revoked access-token ids (`jti`) in Redis, each kept only until its token would have
/// expired anyway. The auth service writes it on logout; every verifier reads it.
public struct TokenDenylist: Sendable {
    let client: RedisClient
    let prefix: String

    public init(client: RedisClient, prefix: String = "flotilla:auth:denylist:") {
        self.client = client
        self.prefix = prefix
    }

    /// Deny `tokenID` until `expiresAt` (no-op when that is already past).
    public func deny(tokenID: String, until expiresAt: Date, now: Date = Date()) async throws {
        let milliseconds = Int((expiresAt.timeIntervalSince(now) * 1000).rounded(.up))
        guard milliseconds > 0 else { return }
        _ = try await client.send("SET", prefix + tokenID, "1", "PX", String(milliseconds))
    }

    /// The Redis key that marks `tokenID` revoked (for callers that check it inside a
    /// script of their own, like the gateway's one-round-trip admission).
    public func key(for tokenID: String) -> String {
        prefix + tokenID
    }

    /// Whether `tokenID` has been revoked.
    public func contains(tokenID: String) async throws -> Bool {
        try await client.send("EXISTS", prefix + tokenID).int == 1
    }
}

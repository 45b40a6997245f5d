#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Revoked access tokens in Redis: single tokens by `jti`, and whole sessions by `sid` (every
/// access token issued to a revoked session), each kept only until the tokens it covers
/// would have expired anyway. The auth service writes it; every verifier reads both in one
/// `EXISTS`, so a revocation takes effect everywhere on the next request.
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

    /// Deny every access token of session `sessionID` for `lifetime` (the longest an access
    /// token issued before now can still be valid).
    public func deny(sessionID: String, for lifetime: Duration) async throws {
        let milliseconds = Int((lifetime.seconds * 1000).rounded(.up))
        guard milliseconds > 0 else { return }
        _ = try await client.send("SET", sessionKey(for: sessionID), "1", "PX", String(milliseconds))
    }

    /// The Redis key that marks `tokenID` revoked.
    public func key(for tokenID: String) -> String {
        prefix + tokenID
    }

    /// The Redis key that marks every token of `sessionID` revoked.
    public func sessionKey(for sessionID: String) -> String {
        prefix + "session:" + sessionID
    }

    /// The keys that revoke a token with `tokenID` of session `sessionID` (for callers that
    /// check them inside a script of their own, like the gateway's one-round-trip admission).
    public func keys(tokenID: String, sessionID: String?) -> [String] {
        sessionID.map { [key(for: tokenID), sessionKey(for: $0)] } ?? [key(for: tokenID)]
    }

    /// Whether `tokenID`, or the session it belongs to, has been revoked (one round trip).
    public func contains(tokenID: String, sessionID: String? = nil) async throws -> Bool {
        let arguments: [any RedisArgument] = ["EXISTS"] + keys(tokenID: tokenID, sessionID: sessionID)
        return (try await client.send(arguments).int ?? 0) > 0
    }
}

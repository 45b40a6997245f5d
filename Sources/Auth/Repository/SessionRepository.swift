import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Sessions (refresh-token families) and their refresh tokens.
///
/// Revoking a session (logout, reuse of a refresh token, a password change or reset, the user
/// ending it) also denylists its `sid` once the revocation is committed, so the access tokens
/// already issued to it stop working at every verifier on their next use, not at expiry.
struct SessionRepository: Sendable {
    let pool: PostgresPool
    let refreshLifetime: Duration
    let denylist: TokenDenylist
    /// How long an access token issued before a revocation can still verify (lifetime plus
    /// the verifiers' clock leeway): how long a session's denylist entry is kept.
    let accessTokenValidity: Duration

    /// What presenting a refresh token led to.
    enum Rotation: Sendable {
        /// The token was valid: it is now used, and `token` replaces it.
        case rotated(sessionID: UUID, userID: UUID, token: OpaqueToken)
        /// The token had been used before: its whole family is now revoked.
        case reused(sessionID: UUID, userID: UUID)
        /// Unknown, expired, or its session was revoked.
        case invalid
    }

    /// Start a session for a fresh login; returns it with its first refresh token.
    func create(userID: UUID, userAgent: String?, clientIP: String?) async throws -> (sessionID: UUID, token: OpaqueToken) {
        let sessionID = UUID()
        let token = OpaqueToken.generate()
        let expiresAt = Date().addingTimeInterval(refreshLifetime.seconds)
        try await pool.withTransaction { session in
            try await session.query(
                "INSERT INTO sessions (id, user_id, expires_at, user_agent, client_ip) VALUES ($1, $2, $3, $4, $5)",
                [sessionID, userID, expiresAt, userAgent.map { String($0.prefix(256)) }, clientIP])
            try await session.query(
                "INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES ($1, $2, $3)",
                [token.hash, sessionID, expiresAt])
        }
        return (sessionID, token)
    }

    /// Exchange a refresh token for its successor, detecting reuse (OAuth 2.0 Security BCP §4.14).
    func rotate(_ presented: String) async throws -> Rotation {
        let rotation = try await rotateInTransaction(presented)
        if case .reused(let sessionID, _) = rotation { try await denyAccessTokens(of: [sessionID]) }
        return rotation
    }

    private func rotateInTransaction(_ presented: String) async throws -> Rotation {
        try await pool.withTransaction { session in
            let rows = try await session.query(
                """
                SELECT rt.session_id, s.user_id, rt.used_at IS NOT NULL AS used,
                       (s.revoked_at IS NULL AND s.expires_at > now() AND rt.expires_at > now()) AS live
                FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id
                WHERE rt.token_hash = $1 FOR UPDATE OF rt, s
                """,
                [OpaqueToken.hash(presented)]
            ).rows
            guard let row = rows.first else { return .invalid }
            let sessionID = try row.decode("session_id", as: UUID.self)
            let userID = try row.decode("user_id", as: UUID.self)
            if try row.decode("used", as: Bool.self) {
                try await session.query(
                    "UPDATE sessions SET revoked_at = now(), revoked_reason = 'refresh_token_reuse' WHERE id = $1 AND revoked_at IS NULL",
                    [sessionID])
                return .reused(sessionID: sessionID, userID: userID)
            }
            guard try row.decode("live", as: Bool.self) else { return .invalid }
            let next = OpaqueToken.generate()
            try await session.query("UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1", [OpaqueToken.hash(presented)])
            try await session.query(
                "INSERT INTO refresh_tokens (token_hash, session_id, expires_at) SELECT $1, id, expires_at FROM sessions WHERE id = $2",
                [next.hash, sessionID])
            try await session.query("UPDATE sessions SET last_used_at = now() WHERE id = $1", [sessionID])
            return .rotated(sessionID: sessionID, userID: userID, token: next)
        }
    }

    /// Whether `sessionID` is still active.
    func isActive(_ sessionID: UUID) async throws -> Bool {
        !(try await pool.query("SELECT 1 FROM sessions WHERE id = $1 AND revoked_at IS NULL AND expires_at > now()", [sessionID]).rows.isEmpty)
    }

    /// Revoke one of `userID`'s sessions; `false` when it is not theirs or not active.
    @discardableResult
    func revoke(_ sessionID: UUID, userID: UUID, reason: String) async throws -> Bool {
        let result = try await pool.query(
            "UPDATE sessions SET revoked_at = now(), revoked_reason = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id",
            [sessionID, userID, reason])
        guard !result.rows.isEmpty else { return false }
        try await denyAccessTokens(of: [sessionID])
        return true
    }

    /// Revoke all of `userID`'s sessions but `keeping`; returns how many.
    @discardableResult
    func revokeAll(userID: UUID, keeping: UUID? = nil, reason: String) async throws -> Int {
        let revoked = try await pool.query(
            """
            UPDATE sessions SET revoked_at = now(), revoked_reason = $3
            WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id <> $2) RETURNING id
            """,
            [userID, keeping, reason]
        ).rows.map { try $0.decode("id", as: UUID.self) }
        try await denyAccessTokens(of: revoked)
        return revoked.count
    }

    /// Denylist the sessions' `sid`s, concurrently (the Redis client sends them in one batch).
    private func denyAccessTokens(of sessionIDs: [UUID]) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for sessionID in sessionIDs {
                group.addTask { try await denylist.deny(sessionID: sessionID.lowercasedString, for: accessTokenValidity) }
            }
            try await group.waitForAll()
        }
    }

    /// `userID`'s active sessions, most recently used first.
    func active(userID: UUID) async throws -> [SessionView] {
        try await pool.query(
            """
            SELECT id, created_at, last_used_at, expires_at, user_agent, client_ip FROM sessions
            WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() ORDER BY last_used_at DESC LIMIT 100
            """,
            [userID]
        ).decode(SessionView.self)
    }
}

import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Password-reset tokens: single use, short-lived, stored hashed.
struct ResetTokenRepository: Sendable {
    let pool: PostgresPool
    let lifetime: Duration

    func create(userID: UUID) async throws -> OpaqueToken {
        let token = OpaqueToken.generate()
        try await pool.query(
            "INSERT INTO password_reset_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, $3)",
            [token.hash, userID, Date().addingTimeInterval(lifetime.seconds)])
        return token
    }

    /// Use `presented` inside `session`: the user it resets, or `nil` when it is unknown,
    /// expired or used. Using one token voids the user's other outstanding ones.
    func consume(_ presented: String, in session: PostgresSession) async throws -> UUID? {
        let rows = try await session.query(
            """
            UPDATE password_reset_tokens SET used_at = now()
            WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id
            """,
            [OpaqueToken.hash(presented)]
        ).rows
        guard let userID = try rows.first?.decode("user_id", as: UUID.self) else { return nil }
        try await session.query("UPDATE password_reset_tokens SET used_at = now() WHERE user_id = $1 AND used_at IS NULL", [userID])
        return userID
    }
}

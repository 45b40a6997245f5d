import FlotillaKit
import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Users' API keys. A key reads `flt_<prefix>_<secret>`; only its SHA-256 is stored.
struct APIKeyRepository: Sendable {
    let pool: PostgresPool
    static let columns = "id, name, prefix, scopes, created_at, last_used_at, revoked_at"
    static let maxKeysPerUser = 50

    /// Create a key; returns it with the full key text, which is shown only this once.
    func create(userID: UUID, name: String, scopes: [String]) async throws -> (APIKeyView, key: String) {
        let prefix = SecureRandom.hex(bytes: 4)
        let key = OpaqueToken.generate(prefix: "flt_\(prefix)_")
        let rows = try await pool.query(
            """
            INSERT INTO api_keys (id, user_id, name, prefix, key_hash, scopes)
            SELECT $1, $2, $3, $4, $5, $6
            WHERE (SELECT count(*) FROM api_keys WHERE user_id = $2 AND revoked_at IS NULL) < $7
            RETURNING \(Self.columns)
            """,
            [UUID(), userID, name, prefix, key.hash, scopes, Self.maxKeysPerUser]
        ).decode(APIKeyView.self)
        guard let view = rows.first else {
            throw APIError(.conflict, code: "too_many_api_keys", message: "You already have \(Self.maxKeysPerUser) active API keys; revoke one first.")
        }
        return (view, key.value)
    }

    func list(userID: UUID) async throws -> [APIKeyView] {
        try await pool.query("SELECT \(Self.columns) FROM api_keys WHERE user_id = $1 ORDER BY created_at DESC", [userID]).decode(APIKeyView.self)
    }

    /// Revoke one of `userID`'s keys; `false` when there is no such active key of theirs.
    func revoke(id: UUID, userID: UUID) async throws -> Bool {
        !(try await pool.query(
            "UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id",
            [id, userID]
        ).rows.isEmpty)
    }

    /// The owner and scopes of an active key, marking it used; `nil` for unknown or revoked keys.
    func authenticate(_ presented: String) async throws -> (userID: UUID, scopes: [String])? {
        guard presented.hasPrefix("flt_"), presented.utf8.count < 200 else { return nil }
        let rows = try await pool.query(
            "UPDATE api_keys SET last_used_at = now() WHERE key_hash = $1 AND revoked_at IS NULL RETURNING user_id, scopes",
            [OpaqueToken.hash(presented)]
        ).rows
        guard let row = rows.first else { return nil }
        return (try row.decode("user_id", as: UUID.self), try row.decode("scopes", as: [String].self))
    }
}

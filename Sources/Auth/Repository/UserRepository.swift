import FlotillaKit
import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Accounts in the `users` table (and their recovery codes).
struct UserRepository: Sendable {
    let pool: PostgresPool

    static let columns = "id, email, name, password_hash, roles, totp_secret, totp_enabled, totp_last_step, created_at"

    /// Insert a new account and record `user.registered`; 409 `email_taken` when the email is
    /// registered already.
    func create(email: String, name: String, passwordHash: String, roles: [Role]) async throws -> User {
        do {
            return try await pool.withTransaction { session in
                let user = try await session.query(
                    "INSERT INTO users (id, email, name, password_hash, roles) VALUES ($1, $2, $3, $4, $5) RETURNING \(Self.columns)",
                    [UUID(), email, name, passwordHash, roles.map(\.rawValue)]
                ).rows[0].decode(User.self)
                let id = user.id.lowercasedString
                try await session.recordEvent(
                    "user.registered", aggregate: "user", id: id, actor: id,
                    data: ["user_id": .string(id), "email": .string(user.email), "name": .string(user.name)])
                return user
            }
        } catch let error as PostgresError where error.sqlState == PostgresError.SQLState.uniqueViolation {
            throw APIError(.conflict, code: "email_taken", message: "An account with this email already exists; log in or reset the password.", details: ["field": "email"])
        }
    }

    /// Delete the account (sessions, keys and codes go with it) and record `user.deleted`;
    /// false when it was already gone.
    func delete(id: UUID) async throws -> Bool {
        try await pool.withTransaction { session in
            guard try await session.query("DELETE FROM users WHERE id = $1 RETURNING id", [id]).affectedRows == 1 else { return false }
            let text = id.lowercasedString
            try await session.recordEvent("user.deleted", aggregate: "user", id: text, actor: text, data: ["user_id": .string(text)])
            return true
        }
    }

    /// Record `user.locked`: sign-in to the account is refused for `seconds` after repeated
    /// failures (from `clientIP`), so its owner can be told.
    func recordLocked(_ user: User, seconds: Int, clientIP: String) async throws {
        let id = user.id.lowercasedString
        try await pool.withTransaction { session in
            try await session.recordEvent(
                "user.locked", aggregate: "user", id: id,
                data: ["user_id": .string(id), "email": .string(user.email), "locked_seconds": .int(seconds), "client_ip": .string(clientIP)])
        }
    }

    func find(email: String) async throws -> User? {
        try await pool.query("SELECT \(Self.columns) FROM users WHERE email = $1", [email]).decode(User.self).first
    }

    func find(id: UUID) async throws -> User? {
        try await pool.query("SELECT \(Self.columns) FROM users WHERE id = $1", [id]).decode(User.self).first
    }

    /// The account a valid token speaks for; 401 when it has been deleted since.
    func tokenHolder(_ id: UUID) async throws -> User {
        guard let user = try await find(id: id) else { throw APIError.unauthorized("The account behind this token no longer exists.") }
        return user
    }

    func updatePasswordHash(id: UUID, hash: String, session: PostgresSession? = nil) async throws {
        let sql = "UPDATE users SET password_hash = $2, password_changed_at = now(), updated_at = now() WHERE id = $1"
        if let session { try await session.query(sql, [id, hash]) } else { try await pool.query(sql, [id, hash]) }
    }

    /// Replace the roles; `nil` when there is no such user.
    func setRoles(id: UUID, roles: [Role]) async throws -> User? {
        try await pool.query(
            "UPDATE users SET roles = $2, updated_at = now() WHERE id = $1 RETURNING \(Self.columns)",
            [id, roles.map(\.rawValue)]
        ).decode(User.self).first
    }

    // MARK: TOTP

    /// Store a new, not yet active secret (enrolment restarts replace it).
    func setPendingTOTPSecret(id: UUID, secret: String) async throws {
        try await pool.query("UPDATE users SET totp_secret = $2, totp_enabled = false, totp_last_step = 0, updated_at = now() WHERE id = $1", [id, secret])
    }

    /// Record `step` as used, only if it is later than the last used one: `false` means the
    /// code was already used (replay), so the caller must refuse it.
    func consumeTOTPStep(id: UUID, step: Int64, enabling: Bool = false) async throws -> Bool {
        let result = try await pool.query(
            """
            UPDATE users SET totp_last_step = $2, totp_enabled = totp_enabled OR $3, updated_at = now()
            WHERE id = $1 AND totp_secret IS NOT NULL AND totp_last_step < $2 RETURNING id
            """,
            [id, step, enabling])
        return !result.rows.isEmpty
    }

    func disableTOTP(id: UUID) async throws {
        try await pool.withTransaction { session in
            try await session.query("UPDATE users SET totp_secret = NULL, totp_enabled = false, totp_last_step = 0, updated_at = now() WHERE id = $1", [id])
            try await session.query("DELETE FROM recovery_codes WHERE user_id = $1", [id])
        }
    }

    func replaceRecoveryCodes(id: UUID, hashes: [Data]) async throws {
        try await pool.withTransaction { session in
            try await session.query("DELETE FROM recovery_codes WHERE user_id = $1", [id])
            for hash in hashes {
                try await session.query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)", [id, hash])
            }
        }
    }

    /// Use a recovery code once: `false` when it is unknown or already used.
    func consumeRecoveryCode(id: UUID, hash: Data) async throws -> Bool {
        let result = try await pool.query(
            "UPDATE recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING user_id",
            [id, hash])
        return !result.rows.isEmpty
    }
}

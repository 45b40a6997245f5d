import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The tus uploads in progress: made, found (by their owner only, until they expire),
/// advanced only from the offset the client and the server agree on, finished, removed.
struct UploadRepository: Sendable {
    let pool: PostgresPool
    /// How long an upload may wait for its next chunk.
    let expiry: Duration

    func create(user: String, entity: EntityReference, fileID: UUID?, name: String, contentType: String?, length: Int64) async throws -> Upload {
        try await pool.query(
            """
            INSERT INTO uploads (id, user_id, entity, project, file_id, name, content_type, length, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(secs => $9)) RETURNING \(Upload.columns)
            """,
            [UUID(), user, entity.description, entity.project, fileID, name, contentType, length, expiry.seconds]
        ).decode(Upload.self)[0]
    }

    /// `user`'s upload `id`, unless it expired.
    func find(_ id: UUID, of user: String) async throws -> Upload? {
        try await pool.query(
            "SELECT \(Upload.columns) FROM uploads WHERE id = $1 AND user_id = $2 AND expires_at > now()", [id, user]
        ).decode(Upload.self).first
    }

    /// Move upload `id` from `offset` by `written` bytes (and push its expiry back); nil when
    /// its offset is no longer `offset` (another request moved it).
    func advance(_ id: UUID, from offset: Int64, by written: Int64) async throws -> Upload? {
        try await pool.query(
            """
            UPDATE uploads SET "offset" = "offset" + $3, expires_at = now() + make_interval(secs => $4)
            WHERE id = $1 AND "offset" = $2 RETURNING \(Upload.columns)
            """,
            [id, offset, written, expiry.seconds]
        ).decode(Upload.self).first
    }

    func complete(_ id: UUID, as file: UUID) async throws {
        try await pool.query("UPDATE uploads SET completed_file_id = $2 WHERE id = $1", [id, file])
    }

    func delete(_ id: UUID) async throws {
        try await pool.query("DELETE FROM uploads WHERE id = $1", [id])
    }

    /// Remove expired uploads; their ids (whose partial content the caller removes).
    func removeExpired() async throws -> [String] {
        try await pool.query("DELETE FROM uploads WHERE expires_at <= now() RETURNING id").rows.map { try $0.decode("id", as: UUID.self).lowercasedString }
    }
}

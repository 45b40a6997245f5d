import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Shares with people and share links.
struct ShareRepository: Sendable {
    let pool: PostgresPool

    /// What `user` was granted on `file` by a share (empty without one).
    func permissions(of user: String, on file: UUID) async throws -> Set<FilePermission> {
        let rows = try await pool.query("SELECT permissions FROM file_shares WHERE file_id = $1 AND user_id = $2", [file, user]).rows
        return Set(try rows.first?.decode("permissions", as: [String].self).compactMap(FilePermission.init) ?? [])
    }

    func shares(of file: UUID) async throws -> [FileShare] {
        try await pool.query("SELECT \(FileShare.columns) FROM file_shares WHERE file_id = $1 ORDER BY created_at", [file]).rows.map(FileShare.init(row:))
    }

    /// Share `file` with `user` (replacing what they had); whether the share is new.
    func share(_ file: StoredFile, with user: String, permissions: [FilePermission], by actor: String) async throws -> (FileShare, created: Bool) {
        try await pool.withTransaction { session in
            let row = try await session.query(
                """
                INSERT INTO file_shares (file_id, user_id, permissions, shared_by) VALUES ($1, $2, $3, $4)
                ON CONFLICT (file_id, user_id) DO UPDATE SET permissions = EXCLUDED.permissions, shared_by = EXCLUDED.shared_by
                RETURNING \(FileShare.columns), (xmax = 0) AS created
                """,
                [file.id, user, permissions.sorted().map(\.rawValue), actor]
            ).rows[0]
            try await session.recordEvents([
                FileWriter.event("file.shared", file, actor: actor, extra: [
                    "shared_with": .string(user), "permissions": .array(permissions.sorted().map { .string($0.rawValue) }),
                ])
            ])
            return (try FileShare(row: row), try row.decode("created", as: Bool.self))
        }
    }

    func unshare(_ file: UUID, with user: String) async throws -> Bool {
        try await pool.query("DELETE FROM file_shares WHERE file_id = $1 AND user_id = $2", [file, user]).affectedRows == 1
    }

    /// A new link to `file`; its token is in the returned link only.
    func createLink(to file: StoredFile, by actor: String, expiresAt: Date?, passwordHash: String?, maxDownloads: Int?) async throws -> ShareLink {
        let token = OpaqueToken.generate()
        return try await pool.withTransaction { session in
            var link = try await session.query(
                """
                INSERT INTO share_links (id, file_id, token_hash, created_by, expires_at, password_hash, max_downloads)
                VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING \(ShareLink.columns)
                """,
                [UUID(), file.id, token.hash, actor, expiresAt, passwordHash, maxDownloads]
            ).decode(ShareLink.self)[0]
            try await session.recordEvents([
                FileWriter.event("file.shared", file, actor: actor, extra: ["link_id": .string(link.id.lowercasedString)])
            ])
            link.token = token.value
            return link
        }
    }

    func links(to file: UUID) async throws -> [ShareLink] {
        try await pool.query("SELECT \(ShareLink.columns) FROM share_links WHERE file_id = $1 ORDER BY created_at", [file]).decode(ShareLink.self)
    }

    /// Revoke link `id` of `file`; false when there is no such link.
    func revoke(_ id: UUID, of file: UUID) async throws -> Bool {
        try await pool.query(
            "UPDATE share_links SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 AND file_id = $2", [id, file]
        ).affectedRows == 1
    }

    /// The link whose token is `token`, with its password hash.
    func link(token: String) async throws -> (link: ShareLink, passwordHash: String?)? {
        guard let row = try await pool.query(
            "SELECT \(ShareLink.columns), password_hash FROM share_links WHERE token_hash = $1", [OpaqueToken.hash(token)]).rows.first
        else { return nil }
        return (try row.decode(ShareLink.self), try row.decode("password_hash", as: String?.self))
    }

    /// Count one download of link `id`, atomically: false when it was spent meanwhile (so a
    /// limit of N allows exactly N downloads, however many arrive at once).
    func countDownload(_ id: UUID) async throws -> Bool {
        try await pool.query(
            """
            UPDATE share_links SET downloads = downloads + 1
            WHERE id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
              AND (max_downloads IS NULL OR downloads < max_downloads)
            """, [id]
        ).affectedRows == 1
    }

    /// Give back a download counted for a response that could not begin (the store failed).
    func refundDownload(_ id: UUID) async throws {
        try await pool.query("UPDATE share_links SET downloads = downloads - 1 WHERE id = $1 AND downloads > 0", [id])
    }
}

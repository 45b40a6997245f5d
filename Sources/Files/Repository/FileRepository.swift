import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reading files and their versions.
struct FileRepository: Sendable {
    let pool: PostgresPool

    func find(_ id: UUID) async throws -> StoredFile? {
        try await pool.query("SELECT \(StoredFile.columns) FROM files f WHERE f.id = $1", [id]).decode(StoredFile.self).first
    }

    /// The files on `entity` after position `after`, oldest first; the position to continue after.
    func list(on entity: EntityReference, after: Int64?, limit: Int) async throws -> (files: [StoredFile], next: Int64?) {
        let rows = try await pool.query(
            "SELECT \(StoredFile.columns), f.position FROM files f WHERE f.entity = $1 AND ($2::bigint IS NULL OR f.position > $2) ORDER BY f.position LIMIT $3",
            [entity.description, after, limit + 1]
        ).rows
        let files = try rows.prefix(limit).map { try $0.decode(StoredFile.self) }
        return (files, rows.count > limit ? try rows[limit - 1].decode("position", as: Int64.self) : nil)
    }

    /// The files shared with `user`, newest share first.
    func shared(with user: String, limit: Int) async throws -> [StoredFile] {
        try await pool.query(
            "SELECT \(StoredFile.columns) FROM files f JOIN file_shares s ON s.file_id = f.id AND s.user_id = $1 ORDER BY s.created_at DESC LIMIT $2",
            [user, limit]
        ).decode(StoredFile.self)
    }

    /// File `id`'s kept versions, newest first.
    func versions(of id: UUID) async throws -> [FileVersion] {
        try await pool.query("SELECT \(FileVersion.columns) FROM file_versions WHERE file_id = $1 ORDER BY number DESC", [id]).decode(FileVersion.self)
    }

    func version(_ number: Int, of id: UUID) async throws -> FileVersion? {
        try await pool.query("SELECT \(FileVersion.columns) FROM file_versions WHERE file_id = $1 AND number = $2", [id, number]).decode(FileVersion.self).first
    }
}

import FlotillaKit
import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Every change to files, each one transaction with its events: a new file or a new version
/// from staged content (quota checked and the blob committed under its row's lock), a restored
/// version, a deletion. Versions beyond the retention are dropped as new ones arrive; blobs
/// nobody references are left to ``BlobCollector``.
struct FileWriter: Sendable {
    let pool: PostgresPool
    let store: any BlobStore
    let quotas: Quotas
    /// Versions kept per file (`FILES_KEEP_VERSIONS`).
    let keepVersions: Int

    /// What new content is.
    struct Content: Sendable {
        var entity: EntityReference
        var name: String
        var contentType: String
        var uploader: String
    }

    /// Store `staged` as a new file `id` on `content.entity`, or as the next version of
    /// `existing`. On any failure the staged content is discarded.
    func store(_ staged: StagedBlob, _ content: Content, into existing: UUID? = nil, id: UUID = UUID()) async throws -> StoredFile {
        do {
            try await store.prepare(staged)
            return try await pool.withTransaction { session in
                try await quotas.check(adding: staged.size, uploader: content.uploader, project: content.entity.project, in: session)
                try await claimBlob(staged.sha256, size: staged.size, in: session)
                // Under the row's lock: an absent blob (new, or collected meanwhile) is put in place.
                try await store.commit(staged)
                if let existing {
                    return try await addVersion(to: existing, sha256: staged.sha256, size: staged.size, content, in: session)
                }
                let file = try await session.query(
                    """
                    INSERT INTO files AS f (id, entity, project, uploader_id, name, content_type, size, sha256, version)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1) RETURNING \(StoredFile.columns)
                    """,
                    [id, content.entity.description, content.entity.project, content.uploader, content.name, content.contentType, staged.size, staged.sha256]
                ).decode(StoredFile.self)[0]
                try await insertVersion(of: file, in: session)
                try await session.recordEvents([Self.event("file.uploaded", file, actor: content.uploader)])
                return file
            }
        } catch {
            await store.discard(staged)
            throw error
        }
    }

    /// Make version `number` of `file` its newest version again (a new version with its content).
    func restore(_ number: Int, of file: UUID, actor: String) async throws -> StoredFile {
        try await pool.withTransaction { session in
            guard let version = try await session.query(
                "SELECT \(FileVersion.columns) FROM file_versions WHERE file_id = $1 AND number = $2", [file, number]).decode(FileVersion.self).first
            else { throw APIError.notFound("File \(file.lowercasedString) has no version \(number).") }
            guard let current = try await lock(file, in: session) else { throw APIError.notFound("No file \(file.lowercasedString).") }
            try await quotas.check(adding: version.size, uploader: actor, project: current.entity.project, in: session)
            try await claimBlob(version.sha256, size: version.size, in: session)
            guard try await store.contains(version.sha256) else {
                throw APIError(.conflict, code: "blob_missing", message: "The content of version \(number) is no longer stored; it cannot be restored.")
            }
            return try await addVersion(
                to: file, sha256: version.sha256, size: version.size,
                Content(entity: current.entity, name: version.name, contentType: version.contentType, uploader: actor), in: session)
        }
    }

    /// Delete `file` with its versions, shares and links.
    func delete(_ file: StoredFile, actor: String) async throws {
        try await pool.withTransaction { session in
            guard try await session.query("DELETE FROM files WHERE id = $1", [file.id]).affectedRows == 1 else {
                throw APIError.notFound("No file \(file.id.lowercasedString).")
            }
            try await session.recordEvents([Self.event("file.deleted", file, actor: actor)])
        }
    }

    /// Delete every file on `entity` (its owner deleted it) in `session`'s transaction, each
    /// with its `file.deleted` event, and let uploads to it in progress expire (housekeeping
    /// removes them and their parts); how many files went.
    @discardableResult
    func deleteAll(on entity: EntityReference, actor: String, in session: PostgresSession) async throws -> Int {
        let files = try await session.query("DELETE FROM files f WHERE f.entity = $1 RETURNING \(StoredFile.columns)", [entity.description])
            .decode(StoredFile.self)
        try await session.recordEvents(files.map { Self.event("file.deleted", $0, actor: actor) })
        try await session.query("UPDATE uploads SET expires_at = now() WHERE entity = $1 AND expires_at > now()", [entity.description])
        return files.count
    }

    /// Insert or touch blob `sha256`'s row, holding its lock until commit: the collector skips
    /// a locked row, and one touched after it looked fails its `last_used_at` check.
    private func claimBlob(_ sha256: String, size: Int64, in session: PostgresSession) async throws {
        try await session.query(
            "INSERT INTO blobs (sha256, size) VALUES ($1, $2) ON CONFLICT (sha256) DO UPDATE SET last_used_at = now()", [sha256, size])
    }

    private func lock(_ id: UUID, in session: PostgresSession) async throws -> StoredFile? {
        try await session.query("SELECT \(StoredFile.columns) FROM files f WHERE f.id = $1 FOR UPDATE", [id]).decode(StoredFile.self).first
    }

    private func addVersion(to id: UUID, sha256: String, size: Int64, _ content: Content, in session: PostgresSession) async throws -> StoredFile {
        guard try await lock(id, in: session) != nil else { throw APIError.notFound("No file \(id.lowercasedString).") }
        let file = try await session.query(
            """
            UPDATE files f SET version = version + 1, name = $2, content_type = $3, size = $4, sha256 = $5, updated_at = now()
            WHERE f.id = $1 RETURNING \(StoredFile.columns)
            """,
            [id, content.name, content.contentType, size, sha256]
        ).decode(StoredFile.self)[0]
        try await insertVersion(of: file, uploader: content.uploader, in: session)
        try await session.query("DELETE FROM file_versions WHERE file_id = $1 AND number <= $2", [id, file.version - keepVersions])
        try await session.recordEvents([Self.event("file.version_added", file, actor: content.uploader, extra: ["version": .int(file.version)])])
        return file
    }

    private func insertVersion(of file: StoredFile, uploader: String? = nil, in session: PostgresSession) async throws {
        try await session.query(
            """
            INSERT INTO file_versions (file_id, number, sha256, size, name, content_type, uploader_id, project)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """,
            [file.id, file.version, file.sha256, file.size, file.name, file.contentType, uploader ?? file.uploaderID, file.entity.project])
    }

    static func event(_ type: String, _ file: StoredFile, actor: String, extra: [String: JSONValue] = [:]) -> OutboxEvent {
        OutboxEvent(
            type, aggregate: "file", id: file.id.lowercasedString, actor: actor,
            data: extra.merging([
                "file_id": .string(file.id.lowercasedString), "entity": .string(file.entity.description), "project_key": .string(file.entity.project),
                "name": .string(file.name), "size": .int(Int(file.size)), "uploader_id": .string(file.uploaderID),
            ]) { $1 })
    }
}

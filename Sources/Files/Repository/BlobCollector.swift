import FlotillaKit
import Logging

/// Removes blobs no version references any more, once unused for the grace period
/// (`FILES_GC_GRACE_SECONDS`). Each blob's row is locked (`FOR UPDATE SKIP LOCKED`) and its
/// content removed before the row's deletion commits: an upload of the same bytes either holds
/// the row (skipped) or touched it after the collector looked (its `last_used_at` check fails
/// on the re-read), and the foreign key from versions refuses the deletion of a blob still used.
struct BlobCollector: Sendable {
    let pool: PostgresPool
    let store: any BlobStore
    let grace: Duration
    let logger: Logger

    /// One pass over at most `batch` blobs; how many were removed.
    @discardableResult
    func collect(batch: Int = 100) async throws -> Int {
        try await pool.withTransaction { session in
            let rows = try await session.query(
                """
                SELECT sha256 FROM blobs b
                WHERE last_used_at < now() - make_interval(secs => $1)
                  AND NOT EXISTS (SELECT 1 FROM file_versions v WHERE v.sha256 = b.sha256)
                ORDER BY last_used_at LIMIT $2 FOR UPDATE SKIP LOCKED
                """,
                [grace.seconds, batch]
            ).rows
            var removed = 0
            for row in rows {
                let sha256 = try row.decode("sha256", as: String.self)
                try await session.query("DELETE FROM blobs WHERE sha256 = $1", [sha256])
                if try await store.contains(sha256) { try await store.remove(sha256) }
                removed += 1
            }
            if removed > 0 { logger.info("blobs collected", metadata: ["count": "\(removed)"]) }
            return removed
        }
    }
}

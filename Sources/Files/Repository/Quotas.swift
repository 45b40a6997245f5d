import FlotillaKit

/// Per-person and per-project storage quotas (`FILES_USER_QUOTA_BYTES`,
/// `FILES_PROJECT_QUOTA_BYTES`; 0 means none): what every kept version uploaded by a person,
/// or kept in a project, adds up to. Checked inside the writing transaction under advisory
/// locks on the person and the project, so two concurrent uploads cannot both squeeze in.
struct Quotas: Sendable {
    let perUser: Int64
    let perProject: Int64

    /// Throw 413 `quota_exceeded` (with what is left) unless `bytes` more fit.
    func check(adding bytes: Int64, uploader: String, project: String, in session: PostgresSession) async throws {
        for (scope, key, limit, column) in [("personal", uploader, perUser, "uploader_id"), ("project", project, perProject, "project")] where limit > 0 {
            try await session.query("SELECT pg_advisory_xact_lock(hashtext($1))", ["files-quota:\(scope):\(key)"])
            let used = try await session.query(
                "SELECT coalesce(sum(size), 0)::bigint AS used FROM file_versions WHERE \(column) = $1", [key]
            ).rows[0].decode("used", as: Int64.self)
            if used + bytes > limit { throw UploadLimit.quota(scope, limit: limit, used: used) }
        }
    }

    /// Whether `bytes` more fit now, for refusing a declared `Content-Length` before reading
    /// the body (the writing transaction checks again, exactly).
    func precheck(adding bytes: Int64, uploader: String, project: String, pool: PostgresPool) async throws {
        guard perUser > 0 || perProject > 0 else { return }
        try await pool.withTransaction { session in try await check(adding: bytes, uploader: uploader, project: project, in: session) }
    }
}

import FlotillaKit

/// Each project's hourly rate and rounding, and people's own rates in it (which win).
struct ProjectSettingsStore: Sendable {
    let pool: PostgresPool
    /// Rounding for projects without their own.
    let globalRounding: Rounding

    /// What applies to `user`'s entries in `project`: the rounding and the hourly rate (user's, else the project's).
    func terms(project: String, user: String, in session: PostgresSession) async throws -> (rounding: Rounding, rate: Money?) {
        let row = try await session.query(
            """
            SELECT s.rounding_minutes, s.rounding_mode, coalesce(r.hourly_rate, s.hourly_rate) AS rate
            FROM (SELECT $1::uuid AS project_id) p
            LEFT JOIN project_settings s ON s.project_id = p.project_id
            LEFT JOIN user_rates r ON r.project_id = p.project_id AND r.user_id = $2
            """, [project, user]
        ).rows[0]
        let minutes = try row.decode("rounding_minutes", as: Int?.self)
        let mode = try row.decode("rounding_mode", as: String?.self).flatMap(Rounding.Mode.init(rawValue:))
        let rounding = minutes.map { Rounding(minutes: $0, mode: mode ?? .default) } ?? globalRounding
        return (rounding, try row.decode("rate", as: Money?.self))
    }

    /// The project's settings and the people's rates.
    func settings(of document: ProjectAccessDocument) async throws -> ProjectTimeSettings {
        let row = try await pool.query(
            "SELECT hourly_rate, rounding_minutes, rounding_mode FROM project_settings WHERE project_id = $1", [document.project.id]
        ).rows.first
        let rates = try await pool.query(
            "SELECT user_id, hourly_rate FROM user_rates WHERE project_id = $1 ORDER BY user_id", [document.project.id]
        ).decode(ProjectTimeSettings.UserRate.self)
        let minutes = try row?.decode("rounding_minutes", as: Int?.self)
        let mode = try row?.decode("rounding_mode", as: String?.self).flatMap(Rounding.Mode.init(rawValue:))
        return ProjectTimeSettings(
            project: document.project.key, hourlyRate: try row?.decode("hourly_rate", as: Money?.self),
            rounding: minutes.map { Rounding(minutes: $0, mode: mode ?? .default) },
            effectiveRounding: minutes == nil ? globalRounding : nil, userRates: rates)
    }

    /// Set the project's rate and rounding (`.clear` removes one, `.absent` keeps it).
    func update(_ document: ProjectAccessDocument, hourlyRate: Patch<Money>, rounding: Patch<Rounding>) async throws {
        try await pool.query(
            """
            INSERT INTO project_settings AS s (project_id, project_key, hourly_rate, rounding_minutes, rounding_mode)
            VALUES ($1, $2, CASE WHEN $3 THEN $4::numeric END, CASE WHEN $5 THEN $6::int END, CASE WHEN $5 THEN $7 END)
            ON CONFLICT (project_id) DO UPDATE SET
                project_key = excluded.project_key,
                hourly_rate = CASE WHEN $3 THEN excluded.hourly_rate ELSE s.hourly_rate END,
                rounding_minutes = CASE WHEN $5 THEN excluded.rounding_minutes ELSE s.rounding_minutes END,
                rounding_mode = CASE WHEN $5 THEN excluded.rounding_mode ELSE s.rounding_mode END
            """,
            [document.project.id, document.project.key, hourlyRate.isPresent, hourlyRate.value, rounding.isPresent, rounding.value?.minutes, rounding.value?.mode.rawValue])
    }

    /// Set (or with nil, remove) `user`'s own rate in the project.
    func setRate(_ rate: Money?, for user: String, in document: ProjectAccessDocument) async throws {
        guard let rate else {
            guard try await pool.query("DELETE FROM user_rates WHERE project_id = $1 AND user_id = $2", [document.project.id, user]).affectedRows == 1 else {
                throw APIError.notFound("\(user) has no rate of their own in \(document.project.key).")
            }
            return
        }
        try await pool.query(
            """
            INSERT INTO user_rates (project_id, user_id, hourly_rate) VALUES ($1, $2, $3)
            ON CONFLICT (project_id, user_id) DO UPDATE SET hourly_rate = excluded.hourly_rate
            """, [document.project.id, user, rate])
    }
}

/// `GET /time-settings/{key}`.
struct ProjectTimeSettings: Codable, Sendable {
    struct UserRate: Codable, Sendable {
        let userID: String
        let hourlyRate: Money

        enum CodingKeys: String, CodingKey {
            case userID = "user_id", hourlyRate = "hourly_rate"
        }
    }

    let project: String
    let hourlyRate: Money?
    /// The project's own rounding, if it has one.
    let rounding: Rounding?
    /// The service's rounding, when the project has none.
    let effectiveRounding: Rounding?
    let userRates: [UserRate]

    enum CodingKeys: String, CodingKey {
        case project, rounding
        case hourlyRate = "hourly_rate", effectiveRounding = "global_rounding", userRates = "user_rates"
    }
}

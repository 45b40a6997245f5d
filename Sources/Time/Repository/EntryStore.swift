import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reading time entries and the state of their weeks.
struct EntryStore: Sendable {
    let pool: PostgresPool

    static let columns = """
        e.id::text AS id, e.user_id, e.project_id::text AS project_id, e.project_key AS project, e.task_ref AS task, e.description,
        e.billable, e.tags, e.started_at, e.ended_at, e.rounded_started_at, e.rounded_ended_at, e.duration_seconds, e.hourly_rate, e.cost, e.week
        """

    /// `user`'s entry `id`, or nil (someone else's is nil too).
    func find(_ id: String, user: String, in session: PostgresSession? = nil, lock: Bool = false) async throws -> TimeEntry? {
        let sql = "SELECT \(Self.columns) FROM time_entries e WHERE e.id = $1::uuid AND e.user_id = $2\(lock ? " FOR UPDATE" : "")"
        if let session { return try await session.query(sql, [id, user]).decode(TimeEntry.self).first }
        return try await pool.query(sql, [id, user]).decode(TimeEntry.self).first
    }

    /// `user`'s entries that started in `[from, to)`, newest first, at most `limit`.
    func list(user: String, from: Date, to: Date, project: String?, limit: Int) async throws -> [TimeEntry] {
        try await pool.query(
            """
            SELECT \(Self.columns) FROM time_entries e
            WHERE e.user_id = $1 AND e.started_at >= $2 AND e.started_at < $3 AND ($4::text IS NULL OR e.project_key = $4)
            ORDER BY e.started_at DESC LIMIT $5
            """, [user, from, to, project, limit]
        ).decode(TimeEntry.self)
    }

    /// `user`'s running timers, oldest first.
    static func running(user: String, in session: PostgresSession) async throws -> [TimeEntry] {
        try await session.query(
            "SELECT \(columns) FROM time_entries e WHERE e.user_id = $1 AND e.ended_at IS NULL ORDER BY e.started_at", [user]
        ).decode(TimeEntry.self)
    }

    /// The status of `user`'s timesheet for the week starting `monday` (draft when it has no row).
    static func status(user: String, week monday: LocalDate, in session: PostgresSession) async throws -> TimesheetStatus {
        try await session.query("SELECT status FROM timesheets WHERE user_id = $1 AND week = $2", [user, monday]).rows.first
            .map { TimesheetStatus(rawValue: try $0.decode("status", as: String.self)) ?? .draft } ?? .draft
    }

    /// Take `user`'s advisory lock for the rest of the transaction: every change to their
    /// entries and timesheets holds it, so they are serialised per person.
    static func lockPerson(_ user: String, in session: PostgresSession) async throws {
        try await session.query("SELECT pg_advisory_xact_lock(hashtext('time-entries:' || $1))", [user])
    }

    /// 409 `timesheet_locked` unless `user`'s week starting `monday` is editable.
    static func requireEditable(user: String, week monday: LocalDate, in session: PostgresSession) async throws {
        let status = try await status(user: user, week: monday, in: session)
        guard status.isEditable else { throw TimesheetWorkflow.locked(ISOWeek(containing: monday), status) }
    }
}

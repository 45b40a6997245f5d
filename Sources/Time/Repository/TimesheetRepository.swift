import FlotillaKit
import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Timesheets: one per person and ISO week, `draft` until submitted. Submitting and deciding
/// hold the owner's advisory lock (the one entry changes take), so an entry cannot slip into
/// a week while it is being submitted.
struct TimesheetRepository: Sendable {
    let pool: PostgresPool

    /// `user`'s sheet for `week`, with its entries (oldest first) and totals.
    func sheet(user: String, week: ISOWeek) async throws -> Timesheet {
        try await pool.withConnection { session in
            let row = try await session.query(
                "SELECT status, comment, decided_by, submitted_at, decided_at, approvers FROM timesheets WHERE user_id = $1 AND week = $2",
                [user, week.monday]
            ).rows.first
            let entries = try await session.query(
                "SELECT \(EntryStore.columns) FROM time_entries e WHERE e.user_id = $1 AND e.week = $2 ORDER BY e.started_at", [user, week.monday]
            ).decode(TimeEntry.self)
            return Timesheet(
                userID: user, week: week.description,
                status: try row.map { TimesheetStatus(rawValue: try $0.decode("status", as: String.self)) ?? .draft } ?? .draft,
                comment: try row?.decode("comment", as: String?.self), decidedBy: try row?.decode("decided_by", as: String?.self),
                submittedAt: try row?.decode("submitted_at", as: Date?.self), decidedAt: try row?.decode("decided_at", as: Date?.self),
                approvers: try row?.decode("approvers", as: [String].self) ?? [],
                totalSeconds: entries.compactMap(\.durationSeconds).reduce(0, +), entries: entries)
        }
    }

    /// The project keys of `user`'s entries in `week`.
    func projects(user: String, week: ISOWeek) async throws -> [String] {
        try await pool.query(
            "SELECT DISTINCT project_key FROM time_entries WHERE user_id = $1 AND week = $2 ORDER BY project_key", [user, week.monday]
        ).rows.map { try $0.decode("project_key", as: String.self) }
    }

    /// Submit `user`'s `week` for approval by `approvers`: it must have entries, no running
    /// timer, and every earlier week with entries must be submitted or approved already.
    func submit(user: String, week: ISOWeek, approvers: [String]) async throws {
        try await pool.withTransaction { session in
            try await EntryStore.lockPerson(user, in: session)
            let status = try await EntryStore.status(user: user, week: week.monday, in: session)
            _ = try TimesheetWorkflow.next(status, .submit, isOwner: true, isApprover: false)
            let facts = try await session.query(
                """
                SELECT (SELECT count(*)::int FROM time_entries WHERE user_id = $1 AND week = $2) AS entries,
                       (SELECT count(*)::int FROM time_entries WHERE user_id = $1 AND week = $2 AND ended_at IS NULL) AS running,
                       (SELECT min(e.week) FROM time_entries e LEFT JOIN timesheets t ON t.user_id = e.user_id AND t.week = e.week
                        WHERE e.user_id = $1 AND e.week < $2 AND coalesce(t.status, 'draft') IN ('draft', 'rejected')) AS open_week
                """, [user, week.monday]
            ).rows[0]
            guard try facts.decode("entries", as: Int.self) > 0 else {
                throw APIError(.conflict, code: "empty_timesheet", message: "\(week) has no entries to submit.")
            }
            guard try facts.decode("running", as: Int.self) == 0 else {
                throw APIError(.conflict, code: "timer_running", message: "A timer is running in \(week); stop it before submitting.")
            }
            if let open = try facts.decode("open_week", as: LocalDate?.self) {
                throw APIError(
                    .conflict, code: "earlier_week_open", message: "Weeks are submitted in order: submit \(ISOWeek(containing: open)) first.",
                    details: ["week": .string(ISOWeek(containing: open).description)])
            }
            try await session.query(
                """
                INSERT INTO timesheets (user_id, week, status, submitted_at, approvers) VALUES ($1, $2, 'submitted', now(), $3)
                ON CONFLICT (user_id, week) DO UPDATE SET status = 'submitted', submitted_at = now(), approvers = excluded.approvers,
                    decided_by = NULL, decided_at = NULL, comment = NULL
                """, [user, week.monday, approvers])
            let total = try await session.query(
                "SELECT coalesce(sum(duration_seconds), 0)::int AS total FROM time_entries WHERE user_id = $1 AND week = $2", [user, week.monday]
            ).rows[0].decode("total", as: Int.self)
            try await session.recordEvent("timesheet.submitted", aggregate: "timesheet", id: "\(user):\(week)", actor: user, data: [
                "user_id": .string(user), "week": .string(week.description), "approvers": .array(approvers.map(JSONValue.string)), "total_seconds": .int(total),
            ])
        }
    }

    /// Approve or reject `user`'s `week` as `approver` (checked by the caller to administer
    /// every project of the week: `isApprover`).
    func decide(_ action: TimesheetAction, user: String, week: ISOWeek, approver: String, isApprover: Bool, comment: String?) async throws {
        try await pool.withTransaction { session in
            try await EntryStore.lockPerson(user, in: session)
            let status = try await EntryStore.status(user: user, week: week.monday, in: session)
            let next = try TimesheetWorkflow.next(status, action, isOwner: user == approver, isApprover: isApprover)
            try await session.query(
                "UPDATE timesheets SET status = $3, decided_by = $4, decided_at = now(), comment = $5 WHERE user_id = $1 AND week = $2",
                [user, week.monday, next.rawValue, approver, comment])
            var data: [String: JSONValue] = ["user_id": .string(user), "week": .string(week.description), "decided_by": .string(approver)]
            data["comment"] = comment.map(JSONValue.string)
            try await session.recordEvent("timesheet.\(next.rawValue)", aggregate: "timesheet", id: "\(user):\(week)", actor: approver, data: data)
        }
    }

    /// Sheets waiting for `approver`, oldest week first.
    func pending(for approver: String) async throws -> [PendingTimesheet] {
        try await pool.query(
            """
            SELECT t.user_id, t.week, t.submitted_at, coalesce(sum(e.duration_seconds), 0)::int AS total_seconds
            FROM timesheets t LEFT JOIN time_entries e ON e.user_id = t.user_id AND e.week = t.week
            WHERE t.status = 'submitted' AND $1 = ANY(t.approvers)
            GROUP BY t.user_id, t.week, t.submitted_at ORDER BY t.week, t.user_id LIMIT 200
            """, [approver]
        ).decode(PendingTimesheet.self)
    }
}

/// `GET /timesheets/{week}`.
struct Timesheet: Encodable, Sendable {
    let userID: String
    let week: String
    let status: TimesheetStatus
    let comment: String?
    let decidedBy: String?
    let submittedAt: Date?
    let decidedAt: Date?
    let approvers: [String]
    let totalSeconds: Int
    let entries: [TimeEntry]

    enum CodingKeys: String, CodingKey {
        case week, status, comment, approvers, entries
        case userID = "user_id", decidedBy = "decided_by", submittedAt = "submitted_at", decidedAt = "decided_at", totalSeconds = "total_seconds"
    }
}

/// One row of `GET /timesheets/pending`.
struct PendingTimesheet: Codable, Sendable {
    let userID: String
    let week: LocalDate
    let submittedAt: Date?
    let totalSeconds: Int

    enum CodingKeys: String, CodingKey {
        case week
        case userID = "user_id", submittedAt = "submitted_at", totalSeconds = "total_seconds"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(userID, forKey: .userID)
        try container.encode(ISOWeek(containing: week).description, forKey: .week)
        try container.encode(submittedAt, forKey: .submittedAt)
        try container.encode(totalSeconds, forKey: .totalSeconds)
    }
}

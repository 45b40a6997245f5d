import FlotillaKit
import Foundation
import HTTPTypes

/// Reminders: the user's own (`POST /reminders`) and those another service's entity owns
/// (`source`, e.g. a habit's reminder time), kept in step from its events.
struct ReminderRepository: Sendable {
    let pool: PostgresPool
    let zones: ZoneInfoDatabase

    /// What a reminder is: title, local time, days (every day when empty), zone.
    struct Definition: Sendable {
        let title: String
        let time: ClockTime
        let days: [Weekday]
        let timeZone: String
    }

    func create(_ definition: Definition, for userID: String, limit: Int) async throws -> Reminder {
        try await pool.withTransaction { session in
            try await session.query("SELECT pg_advisory_xact_lock(hashtext('reminders:' || $1))", [userID])
            let count = try await session.query("SELECT count(*)::int AS n FROM reminders WHERE user_id = $1", [userID]).rows[0].decode("n", as: Int.self)
            guard count < limit else {
                throw APIError(.conflict, code: "too_many_reminders", message: "You have \(limit) reminders, the most allowed; delete one first.")
            }
            return try await save(definition, for: userID, source: nil, in: session)!
        }
    }

    /// Create or replace the reminder `source` owns (one per user and source).
    @discardableResult
    func save(_ definition: Definition, for userID: String, source: String?, in session: PostgresSession) async throws -> Reminder? {
        guard let zone = zones.zone(definition.timeZone) else { return nil }
        let schedule = ReminderSchedule(time: definition.time, days: Set(definition.days), zone: zone)
        let next = Date(timeIntervalSince1970: TimeInterval(schedule.nextFiring(after: Int64(Date().timeIntervalSince1970))))
        return try await session.query(
            """
            INSERT INTO reminders (user_id, source, title, local_time, days, time_zone, next_fire_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (user_id, source) DO UPDATE SET title = EXCLUDED.title, local_time = EXCLUDED.local_time, days = EXCLUDED.days,
                time_zone = EXCLUDED.time_zone, next_fire_at = EXCLUDED.next_fire_at
            RETURNING \(Reminder.columns)
            """,
            [userID, source, definition.title, definition.time.description, definition.days.map(\.shortName), definition.timeZone, next]
        ).decode(Reminder.self).first
    }

    func list(for userID: String) async throws -> [Reminder] {
        try await pool.query("SELECT \(Reminder.columns) FROM reminders WHERE user_id = $1 ORDER BY created_at, id", [userID]).decode(Reminder.self)
    }

    func delete(_ id: UUID, of userID: String) async throws -> Bool {
        try await pool.query("DELETE FROM reminders WHERE id = $1 AND user_id = $2", [id, userID]).affectedRows == 1
    }
}

extension PostgresSession {
    /// Remove the reminder `source` owns for `userID`, if any.
    func deleteReminder(source: String, of userID: String) async throws {
        try await query("DELETE FROM reminders WHERE user_id = $1 AND source = $2", [userID, source])
    }
}

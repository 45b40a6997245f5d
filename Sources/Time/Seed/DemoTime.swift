import FlotillaKit
import Logging
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The demo workspace's time (``DemoWorkspace``): rates for WEB (80.00 an hour, Sam 95.00)
/// and quarter-hour rounding, then four past weeks of the demo user's mornings on WEB and OPS
/// with a timesheet in each state — approved, rejected (with a comment), submitted, draft —
/// loaded by `time seed`. Ids are fixed, so running it again changes nothing.
enum DemoTime {
    static let rate = Money("80.00")!
    static let weeks: [(status: TimesheetStatus, comment: String?)] = [
        (.approved, nil), (.rejected, "Tuesday's OPS time belongs to WEB; please move it."), (.submitted, nil), (.draft, nil),
    ]

    @Sendable static func seed(_ pool: PostgresPool, _ logger: Logger) async throws -> String {
        let web = DemoWorkspace.projects[0], ops = DemoWorkspace.projects[1]
        let user = DemoWorkspace.user
        let zone = ZoneInfoDatabase.system.zone(DemoWorkspace.people[0].timeZone)!
        let thisWeek = ISOWeek(containing: zone.localDate(at: Int64(Date().timeIntervalSince1970)))
        let created = try await pool.withTransaction { session -> Int in
            for person in DemoWorkspace.people {
                try await UserZones.save(person.timeZone, for: person.user, in: session)
            }
            try await session.query(
                """
                INSERT INTO project_settings (project_id, project_key, hourly_rate, rounding_minutes, rounding_mode)
                VALUES ($1, $2, $3, 15, 'default') ON CONFLICT DO NOTHING
                """, [web.id, web.key, rate])
            try await session.query(
                "INSERT INTO user_rates (project_id, user_id, hourly_rate) VALUES ($1, 'demo-sam', 95.00) ON CONFLICT DO NOTHING", [web.id])
            var inserted = 0
            for (index, sheet) in weeks.enumerated() {
                let week = ISOWeek(containing: thisWeek.monday.adding(days: -7 * (weeks.count - index)))
                for day in 0..<5 {
                    let project = day == 1 ? ops : web
                    let start = zone.instant(on: week.monday.adding(days: day), minute: 9 * 60)
                    let seconds = 3 * 3600 + 30 * 60
                    let rows = try await session.query(
                        """
                        INSERT INTO time_entries (id, user_id, project_id, project_key, task_ref, description, billable, tags, started_at, ended_at,
                            rounded_started_at, rounded_ended_at, duration_seconds, hourly_rate, cost, week)
                        VALUES ($1, $2, $3::uuid, $4, NULL, $5, $6, $7, $8, $9, $8, $9, $10, $11, $12, $13) ON CONFLICT DO NOTHING
                        """,
                        [
                            "00000000-0000-4000-c\(index)0\(day)-000000000001", user, project.id, project.key,
                            project.key == "WEB" ? "Relaunch: page templates" : "On-call handover", project.key == "WEB", [project.key == "WEB" ? "frontend" : "ops"],
                            Date(timeIntervalSince1970: TimeInterval(start)), Date(timeIntervalSince1970: TimeInterval(start + Int64(seconds))), seconds,
                            project.key == "WEB" ? rate : nil, project.key == "WEB" ? Cost.of(rate: rate, seconds: seconds) : nil, week.monday,
                        ])
                    inserted += rows.affectedRows
                }
                guard sheet.status != .draft else { continue }
                try await session.query(
                    """
                    INSERT INTO timesheets (user_id, week, status, submitted_at, decided_by, decided_at, comment, approvers)
                    VALUES ($1, $2, $3, now(), CASE WHEN $3 <> 'submitted' THEN 'demo-alex' END, CASE WHEN $3 <> 'submitted' THEN now() END, $4, $5)
                    ON CONFLICT DO NOTHING
                    """, [user, week.monday, sheet.status.rawValue, sheet.comment, ["demo-alex"]])
            }
            return inserted
        }
        let message = created == 0
            ? "demo time already present"
            : "seeded \(created) demo time entries over four weeks with timesheets approved, rejected, submitted and draft"
        logger.info("\(message)")
        return message
    }
}

import FlotillaKit
import Foundation
import Logging
import Prometheus
import ServiceLifecycle

/// Fires due reminders. Each due row is claimed with `FOR UPDATE SKIP LOCKED` in the
/// transaction that delivers it and moves `next_fire_at` on, so with several replicas a
/// reminder fires once; the delivery's key (reminder and scheduled time) makes even a retried
/// transaction deliver once. After downtime a missed reminder fires once, late, and the next
/// one is the first after now (docs/adr/017).
struct ReminderScheduler: Service {
    let pool: PostgresPool
    let notifier: Notifier
    let zones: ZoneInfoDatabase
    let pollInterval: Duration
    let metrics: NotificationsMetrics
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var fired = 0
                do {
                    fired = try await fireDue()
                } catch {
                    logger.warning("reminders not fired", metadata: ["error.description": "\(error)"])
                }
                if fired == 0 { try await Task.sleep(for: pollInterval) }
            }
        }
    }

    /// Fire up to a batch of due reminders; how many fired.
    func fireDue(now: Date = Date()) async throws -> Int {
        try await pool.withTransaction { session in
            let due = try await session.query(
                "SELECT \(Reminder.columns) FROM reminders WHERE next_fire_at <= $1 ORDER BY next_fire_at LIMIT 50 FOR UPDATE SKIP LOCKED", [now]
            ).decode(Reminder.self)
            for reminder in due {
                let scheduled = Int64(reminder.nextFireAt.timeIntervalSince1970)
                try await notifier.deliver(
                    NotificationRequest(
                        userID: reminder.userID, kind: .reminder, values: ["title": .text(reminder.title), "local_time": .text(reminder.time)],
                        data: ["reminder_id": .string(reminder.id)], idempotencyKey: "reminder:\(reminder.id):\(scheduled)"),
                    in: session, now: now)
                let next = nextFiring(of: reminder, after: max(Int64(now.timeIntervalSince1970), scheduled))
                try await session.query(
                    "UPDATE reminders SET next_fire_at = $2, last_fired_at = $3 WHERE id = $1::uuid",
                    [reminder.id, Date(timeIntervalSince1970: TimeInterval(next)), now])
                metrics.reminders.increment()
                logger.info("reminder fired", metadata: ["reminder_id": "\(reminder.id)", "late_seconds": "\(Int64(now.timeIntervalSince1970) - scheduled)"])
            }
            return due.count
        }
    }

    private func nextFiring(of reminder: Reminder, after instant: Int64) -> Int64 {
        guard let time = ClockTime(reminder.time), let zone = zones.zone(reminder.timeZone) else { return instant + 86_400 }
        return ReminderSchedule(time: time, days: Set(reminder.days.compactMap(Weekday.init(shortName:))), zone: zone).nextFiring(after: instant)
    }
}

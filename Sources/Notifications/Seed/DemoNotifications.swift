import FlotillaKit
import Logging

/// The demo user's inbox: a welcome, an achievement and a reminder, so a newcomer's first
/// look at `GET /api/v1/notifications` shows a living inbox. Idempotent (keys per item).
enum DemoNotifications {
    static let user = "demo-user"

    static let items: [(key: String, category: String, kind: String, title: String, body: String)] = [
        ("demo:welcome", "account", "welcome", "Welcome to Flotilla", "Hi Demo, your account is ready."),
        ("demo:achievement", "achievements", "achievement", "7 days in a row!", "You kept up “Drink water” for 7 days. Keep going!"),
        ("demo:reminder", "reminders", "reminder", "Evening walk", "Your 19:00 reminder."),
    ]

    static func seed(pool: PostgresPool, logger: Logger) async throws -> String {
        try await pool.withTransaction { session in
            try await session.saveRecipient(userID: user, email: "demo@flotilla.local", name: "Demo")
            var created = 0
            for item in items {
                created += try await session.query(
                    """
                    INSERT INTO notifications (user_id, category, kind, title, body, idempotency_key) VALUES ($1, $2, $3, $4, $5, $6)
                    ON CONFLICT (user_id, idempotency_key) DO NOTHING
                    """,
                    [user, item.category, item.kind, item.title, item.body, item.key]
                ).affectedRows
            }
            return "\(created) of \(items.count) demo notifications created for \(user)"
        }
    }
}

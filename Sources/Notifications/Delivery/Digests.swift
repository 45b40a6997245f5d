import FlotillaKit
import Foundation

/// Email digests (the "a category may be digested"): while a user digests a
/// category, its emails are collected as items of that user's open digest for the category,
/// which is due one window after its first item; when due, the items become one email
/// listing them, queued like any other (quiet hours included) and the digest closes, so the
/// next item opens a new one. Items keep their notification's idempotency key, so a
/// redelivered event adds nothing.
struct Digests: Sendable {
    let pool: PostgresPool
    let templates: NotificationTemplates
    let appName: String

    /// Add an email (its rendered subject and a one-line summary) to `user`'s open digest of
    /// `category`, opening one due `window` from now if there is none.
    static func add(user: String, category: NotificationCategory, window: Duration, idempotencyKey: String,
                    subject: String, summary: String, in session: PostgresSession) async throws {
        let digest = try await session.query(
            """
            INSERT INTO digests (user_id, category, send_at) VALUES ($1, $2, now() + make_interval(secs => $3))
            ON CONFLICT (user_id, category) WHERE sent_at IS NULL DO UPDATE SET user_id = EXCLUDED.user_id
            RETURNING id::text AS id
            """, [user, category.rawValue, window.seconds]
        ).rows[0].decode("id", as: String.self)
        try await session.query(
            """
            INSERT INTO digest_items (digest_id, user_id, idempotency_key, subject, summary) VALUES ($1::uuid, $2, $3, $4, $5)
            ON CONFLICT (user_id, idempotency_key) DO NOTHING
            """, [digest, user, idempotencyKey, subject, summary])
    }

    /// Close up to `limit` due digests (each claimed with `SKIP LOCKED`, so replicas never
    /// send one twice), queueing one email for each; how many closed.
    @discardableResult
    func closeDue(limit: Int = 20, now: Date = Date(), zones: ZoneInfoDatabase) async throws -> Int {
        try await closeEach(limit: limit) { session, digest, user, category in
            let items = try await session.query(
                "SELECT subject, summary FROM digest_items WHERE digest_id = $1::uuid ORDER BY created_at, subject", [digest]
            ).rows.map { ["subject": try $0.decode("subject", as: String.self), "summary": try $0.decode("summary", as: String.self)] }
            guard !items.isEmpty, let recipient = try await session.recipient(user), let address = recipient.email else { return }
            let preferences = try await session.preferences(of: user)
            let values: [String: Any] = [
                "name": recipient.name.isEmpty ? "there" : recipient.name, "app_name": appName, "category": category,
                "count": String(items.count), "items": items,
            ]
            try await session.query(
                """
                INSERT INTO email_deliveries (user_id, idempotency_key, recipient, subject, text_body, html_body, next_attempt_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id, idempotency_key) DO NOTHING
                """,
                [user, "digest:\(digest)", address, templates.render(.digest, .emailSubject, values), templates.render(.digest, .emailText, values),
                 templates.render(.digest, .emailHTML, values),
                 preferences.emailSendTime(for: NotificationCategory(rawValue: category) ?? .account, now: now, zones: zones)])
        }
    }

    /// Claim due digests and hand each to `send` in its own transaction, then close it.
    private func closeEach(
        limit: Int, _ send: @Sendable @escaping (PostgresSession, _ digest: String, _ user: String, _ category: String) async throws -> Void
    ) async throws -> Int {
        var closed = 0
        while closed < limit {
            let done = try await pool.withTransaction { session -> Bool in
                guard let row = try await session.query(
                    "SELECT id::text AS id, user_id, category FROM digests WHERE sent_at IS NULL AND send_at <= now() ORDER BY send_at LIMIT 1 FOR UPDATE SKIP LOCKED"
                ).rows.first else { return false }
                let digest = try row.decode("id", as: String.self)
                try await send(session, digest, try row.decode("user_id"), try row.decode("category"))
                try await session.query("UPDATE digests SET sent_at = now() WHERE id = $1::uuid", [digest])
                return true
            }
            guard done else { break }
            closed += 1
        }
        return closed
    }
}

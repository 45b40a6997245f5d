import FlotillaKit
import Foundation
import Prometheus

/// Turns a ``NotificationRequest`` into what the user's preferences allow, inside the caller's
/// transaction: an in-app item (and `notification.created`), and an email queued for the
/// dispatcher — held until quiet hours end, except for `security` — or, for a category the
/// user digests, an item of their digest (``Digests``).
struct Notifier: Sendable {
    let templates: NotificationTemplates
    let appName: String
    let zones: ZoneInfoDatabase
    let metrics: NotificationsMetrics

    /// What a delivery produced.
    struct Outcome: Sendable, Equatable {
        var inAppID: String?
        var emailQueued = false
        /// The email joined the user's digest of the category instead.
        var digested = false
    }

    func deliver(_ request: NotificationRequest, in session: PostgresSession, now: Date = Date()) async throws -> Outcome {
        let recipient = try await session.recipient(request.userID)
        let preferences = try await session.preferences(of: request.userID)
        let category = request.effectiveCategory
        var values = request.values.mapValues(\.rendered)
        values["name"] = recipient?.name.isEmpty == false ? recipient!.name : "there"
        values["app_name"] = appName
        var outcome = Outcome()

        if preferences.allows(category, on: .inApp) {
            let inserted = try await session.query(
                """
                INSERT INTO notifications (user_id, category, kind, title, body, data, idempotency_key) VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING id::text AS id
                """,
                [request.userID, category.rawValue, request.kind.name, templates.render(request.kind, .inAppTitle, values),
                 templates.render(request.kind, .inAppBody, values), PostgresJSON(request.data), request.idempotencyKey]
            ).rows.first
            if let inserted {
                let id = try inserted.decode("id", as: String.self)
                outcome.inAppID = id
                try await session.recordEvent(
                    "notification.created", aggregate: "notification", id: id,
                    data: ["notification_id": .string(id), "user_id": .string(request.userID), "category": .string(category.rawValue),
                           "kind": .string(request.kind.name), "title": .string(templates.render(request.kind, .inAppTitle, values))])
                metrics.created(category.rawValue).increment()
            }
        }

        if request.email, let address = recipient?.email, preferences.allows(category, on: .email) {
            let subject = templates.render(request.kind, .emailSubject, values)
            if let window = preferences.digestWindow(category) {
                try await Digests.add(
                    user: request.userID, category: category, window: window, idempotencyKey: request.idempotencyKey, subject: subject,
                    summary: templates.render(request.kind, .inAppBody, values), in: session)
                outcome.digested = true
                return outcome
            }
            let queued = try await session.query(
                """
                INSERT INTO email_deliveries (user_id, idempotency_key, recipient, subject, text_body, html_body, next_attempt_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING id
                """,
                [request.userID, request.idempotencyKey, address, subject, templates.render(request.kind, .emailText, values),
                 templates.render(request.kind, .emailHTML, values), preferences.emailSendTime(for: category, now: now, zones: zones)])
            outcome.emailQueued = !queued.rows.isEmpty
        }
        return outcome
    }
}

import FlotillaKit
import Foundation
import Logging
import Prometheus
import ServiceLifecycle

/// Sends queued emails: one at a time per replica, each claimed with `FOR UPDATE SKIP LOCKED`
/// (replicas never send one twice), retried with exponential backoff, `failed` after the last
/// attempt; every attempt is logged in `email_attempts`.
struct EmailDispatcher: Service {
    let pool: PostgresPool
    let transport: any EmailTransport
    let fromAddress: String
    let maxAttempts: Int
    let retryDelay: Duration
    let pollInterval: Duration
    let metrics: NotificationsMetrics
    let logger: Logger

    func run() async throws {
        logger.info("emails go to \(transport.destination)")
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let sent: Bool
                do {
                    sent = try await sendNext()
                } catch {
                    logger.warning("email queue not processed", metadata: ["error.description": "\(error)"])
                    sent = false
                }
                if !sent { try await Task.sleep(for: pollInterval) }
            }
        }
    }

    /// Send the next due email, if there is one; whether there was.
    func sendNext() async throws -> Bool {
        let envelopeFrom = EmailAddressText.envelope(of: fromAddress) ?? fromAddress
        return try await pool.withTransaction { session in
            guard let row = try await session.query(
                """
                SELECT id::text AS id, recipient, subject, text_body, html_body, attempts FROM email_deliveries
                WHERE status = 'queued' AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED
                """
            ).rows.first else { return false }
            let id = try row.decode("id", as: String.self)
            let attempt = try row.decode("attempts", as: Int.self) + 1
            let message = EmailMessage(
                from: fromAddress, to: try row.decode("recipient"), subject: try row.decode("subject"), text: try row.decode("text_body"),
                html: try row.decode("html_body", as: String?.self), messageID: "\(id)@flotilla.notifications")
            do {
                try await transport.send(message, envelopeFrom: envelopeFrom)
                try await session.query("UPDATE email_deliveries SET status = 'sent', attempts = $2, sent_at = now(), last_error = NULL WHERE id = $1::uuid", [id, attempt])
                try await session.query("INSERT INTO email_attempts (delivery_id, attempt, outcome) VALUES ($1::uuid, $2, 'sent')", [id, attempt])
                metrics.emails("sent").increment()
                logger.info("email sent", metadata: ["delivery_id": "\(id)", "attempt": "\(attempt)"])
            } catch {
                let final = attempt >= maxAttempts
                let delay = retryDelay.seconds * Double(1 << min(attempt - 1, 16))
                try await session.query(
                    """
                    UPDATE email_deliveries SET attempts = $2, last_error = $3, status = CASE WHEN $4 THEN 'failed' ELSE 'queued' END,
                        next_attempt_at = now() + make_interval(secs => $5) WHERE id = $1::uuid
                    """,
                    [id, attempt, "\(error)", final, delay])
                try await session.query(
                    "INSERT INTO email_attempts (delivery_id, attempt, outcome, detail) VALUES ($1::uuid, $2, 'failed', $3)", [id, attempt, "\(error)"])
                metrics.emails(final ? "failed" : "retried").increment()
                logger.warning(final ? "email failed for good" : "email not sent; will retry",
                               metadata: ["delivery_id": "\(id)", "attempt": "\(attempt)", "error.description": "\(error)"])
            }
            return true
        }
    }
}

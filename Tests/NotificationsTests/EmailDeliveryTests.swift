import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Notifications

/// Email over SMTP through libcurl to a real SMTP server: delivered, retried after a
/// refusal, failed for good after the last attempt; the delivery log keeps every attempt.
@Suite("notifications: email over SMTP")
struct EmailDeliveryTests {
    static func notify(_ api: NotificationsHarness.Context, title: String) async throws {
        let body = #"{"user_id": "alice", "category": "mentions", "title": "\#(title)", "body": "Ünïcode body ✓"}"#
        let reply = try await api.send(.post, "/notifications", json: body, token: try await api.serviceToken())
        #expect(reply.status == .created && reply.json["email_queued"] as? Bool == true, "\(reply.body)")
    }

    static func attempts(_ api: NotificationsHarness.Context) async throws -> [String] {
        try await api.pool.query("SELECT outcome FROM email_attempts ORDER BY attempted_at, attempt").rows.map { try $0.decode("outcome", as: String.self) }
    }

    @Test func aRefusedEmailIsRetriedAndArrives() async throws {
        let server = try await SMTPTestServer(refusing: 1)
        defer { server.stop() }
        try await NotificationsHarness.run(environment: ["NOTIFICATIONS_SMTP_URL": server.url, "NOTIFICATIONS_FROM": "Flotilla <no-reply@flotilla.test>"]) { api in
            try await api.pool.withConnection { try await $0.saveRecipient(userID: "alice", email: "alice@example.com", name: "Alice") }
            try await Self.notify(api, title: "Mentioned — in “Plan”")
            try await waitUntil("the server accepted the email") { try server.messages().count == 1 }
            #expect(try server.refusals() == 1)
            let message = try #require(try server.messages().first)
            #expect(message.contains("X-Envelope-From: no-reply@flotilla.test") && message.contains("X-Envelope-To: alice@example.com"))
            #expect(message.contains("Subject: =?UTF-8?B?"))
            let text = try #require(NotificationEventsTests.decodedParts(message).first)
            #expect(text.contains("Ünïcode body ✓"))
            try await waitUntil("the delivery is marked sent") {
                try await api.pool.query("SELECT 1 FROM email_deliveries WHERE status = 'sent' AND attempts = 2").rows.count == 1
            }
            #expect(try await Self.attempts(api) == ["failed", "sent"])
        }
    }

    @Test func anEmailFailsForGoodAfterTheLastAttempt() async throws {
        let server = try await SMTPTestServer(refusing: 100)
        defer { server.stop() }
        try await NotificationsHarness.run(environment: ["NOTIFICATIONS_SMTP_URL": server.url, "NOTIFICATIONS_EMAIL_MAX_ATTEMPTS": "3"]) { api in
            try await api.pool.withConnection { try await $0.saveRecipient(userID: "alice", email: "alice@example.com", name: "Alice") }
            try await Self.notify(api, title: "Doomed")
            try await waitUntil("the delivery failed") {
                try await api.pool.query("SELECT 1 FROM email_deliveries WHERE status = 'failed'").rows.count == 1
            }
            #expect(try await Self.attempts(api) == ["failed", "failed", "failed"])
            let error = try await api.pool.query("SELECT last_error FROM email_deliveries").rows[0].decode("last_error", as: String.self)
            #expect(error.contains("SMTP"), "\(error)")
            #expect(try server.messages().isEmpty && (try server.refusals()) == 3)
        }
    }

    @Test func anUnreachableRelayIsRetriedNotLost() async throws {
        let deadPort = try FreePort.allocate()
        try await NotificationsHarness.run(environment: ["NOTIFICATIONS_SMTP_URL": "smtp://127.0.0.1:\(deadPort)", "NOTIFICATIONS_EMAIL_RETRY_SECONDS": "3600"]) { api in
            try await api.pool.withConnection { try await $0.saveRecipient(userID: "alice", email: "alice@example.com", name: "Alice") }
            try await Self.notify(api, title: "Later")
            try await waitUntil("the first attempt failed") { try await Self.attempts(api) == ["failed"] }
            let row = try await api.pool.query("SELECT status, next_attempt_at > now() + interval '30 minutes' AS later FROM email_deliveries").rows[0]
            #expect(try row.decode("status", as: String.self) == "queued" && (try row.decode("later", as: Bool.self)), "queued for a retry after the backoff")
        }
    }

    @Test func invalidSMTPSettingsFailFastNamingTheVariable() throws {
        var environment = EnvironmentReader(["NOTIFICATIONS_SMTP_URL": "http://mail", "NOTIFICATIONS_FROM": "nobody"])
        _ = NotificationsConfiguration(environment: &environment)
        let error = try #require(throws: ConfigurationError.self) { try environment.validate() }
        #expect("\(error)".contains("NOTIFICATIONS_SMTP_URL") && "\(error)".contains("NOTIFICATIONS_FROM"))
    }
}

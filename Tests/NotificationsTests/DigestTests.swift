import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Notifications

/// A digested category's emails become one email per window listing them; in-app items
/// still arrive one by one; security is never digested.
@Suite("notifications: digests")
struct DigestTests {
    static func notify(_ api: NotificationsHarness.Context, category: String, title: String, key: String) async throws -> APITestClient.Reply {
        let body = #"{"user_id": "alice", "category": "\#(category)", "title": "\#(title)", "body": "About \#(title)", "idempotency_key": "\#(key)"}"#
        return try await api.send(.post, "/notifications", json: body, token: try await api.serviceToken())
    }

    /// Bring every open digest's due time to now (the window itself is minutes long).
    static func dueNow(_ api: NotificationsHarness.Context) async throws {
        try await api.pool.query("UPDATE digests SET send_at = now() WHERE sent_at IS NULL")
    }

    @Test func emailsWithinAWindowBecomeOneListingThem() async throws {
        try await NotificationsHarness.run { api in
            try await api.publish("user.registered", from: "auth", data: ["user_id": "alice", "email": "alice@example.com", "name": "Alice"])
            try await waitUntil("the welcome is written") { try api.mails().count == 1 }
            let alice = try await api.token()
            let set = try await api.send(.patch, "/notifications/preferences", json: #"{"digest": {"mentions": 30}}"#, token: alice)
            #expect(set.status == .ok && (set.json["digest"] as? [String: Int]) == ["mentions": 30], "\(set.body)")

            for index in 1...3 {
                let reply = try await Self.notify(api, category: "mentions", title: "Mention \(index)", key: "m\(index)")
                #expect(reply.status == .created && reply.json["email_digested"] as? Bool == true && reply.json["email_queued"] as? Bool == false)
            }
            // A redelivery adds nothing; another category is not digested; security never is.
            #expect(try await Self.notify(api, category: "mentions", title: "Mention 1", key: "m1").status == .ok)
            #expect(try await Self.notify(api, category: "orders", title: "Order", key: "o1").json["email_queued"] as? Bool == true)
            #expect(try await Self.notify(api, category: "security", title: "New login", key: "s1").json["email_queued"] as? Bool == true)
            try await waitUntil("the two undigested emails are written") { try api.mails().count == 3 }
            let inApp = try await api.stored(for: "alice").filter { $0.kind == "direct" }
            #expect(inApp.count == 5, "in-app items arrive one by one")
            #expect(try api.mails().count == 3, "no mention email before the window ends")

            try await Self.dueNow(api)
            try await waitUntil("the digest is written") { try api.mails().count == 4 }
            let digest = try #require(try api.mails().first { $0.contains("updates from Flotilla") })
            #expect(digest.contains("Subject: 3 mentions updates from Flotilla") && digest.contains("To: alice@example.com"), "\(digest.prefix(400))")
            let open = try await api.pool.query("SELECT count(*)::int AS n FROM digests WHERE sent_at IS NULL").rows[0].decode("n", as: Int.self)
            #expect(open == 0)

            // The next mention opens a new digest; switching digests off sends at once again.
            #expect(try await Self.notify(api, category: "mentions", title: "Mention 4", key: "m4").json["email_digested"] as? Bool == true)
            #expect(try await api.pool.query("SELECT count(*)::int AS n FROM digests").rows[0].decode("n", as: Int.self) == 2)
            #expect(try await api.send(.patch, "/notifications/preferences", json: #"{"digest": {"mentions": 0}}"#, token: alice).json["digest"] as? [String: Int] == [:])
            #expect(try await Self.notify(api, category: "mentions", title: "Mention 5", key: "m5").json["email_queued"] as? Bool == true)
        }
    }

    @Test func digestSettingsAreValidated() async throws {
        try await NotificationsHarness.run { api in
            let alice = try await api.token()
            for (body, field) in [
                (#"{"digest": {"security": 30}}"#, "digest.security"),
                (#"{"digest": {"spam": 30}}"#, "digest.spam"),
                (#"{"digest": {"mentions": 2}}"#, "digest.mentions"),
                (#"{"digest": {"mentions": 2000}}"#, "digest.mentions"),
                (#"{"digest": {"mentions": "hourly"}}"#, "digest.mentions"),
                (#"{"digest": 30}"#, "digest"),
            ] {
                let reply = try await api.send(.patch, "/notifications/preferences", json: body, token: alice)
                #expect(reply.status == .badRequest && reply.invalidFields.contains(field), "\(body): \(reply.body)")
            }
            let kept = try await api.send(.patch, "/notifications/preferences", json: #"{"digest": {"assignments": 60, "mentions": null}}"#, token: alice)
            #expect(kept.json["digest"] as? [String: Int] == ["assignments": 60])
        }
    }
}

import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Notifications

/// Preferences (merge, validation, the mandatory category) and reminders (routes, failure
/// codes, ownership).
@Suite("notifications: preferences and reminders")
struct PreferencesAndRemindersTests {
    @Test func preferencesMergeAndRefuseWhatCannotBe() async throws {
        try await NotificationsHarness.run { api in
            let alice = try await api.token()
            let standard = try await api.send(.get, "/notifications/preferences", token: alice)
            let channels = try #require(standard.json["channels"] as? [String: [String: Bool]])
            #expect(channels.count == NotificationCategory.allCases.count && channels["reminders"]?["email"] == false && channels["orders"]?["email"] == true)

            let patched = try await api.send(.patch, "/notifications/preferences", json: #"{"channels": {"orders": {"email": false}}, "quiet_hours": {"start": "22:00", "end": "07:00"}, "time_zone": "Europe/Berlin"}"#, token: alice)
            #expect(patched.status == .ok, "\(patched.body)")
            #expect((patched.json["channels"] as? [String: [String: Bool]])?["orders"] == ["email": false, "in_app": true])
            let merged = try await api.send(.patch, "/notifications/preferences", json: #"{"channels": {"mentions": {"in_app": false}}}"#, token: alice)
            #expect((merged.json["channels"] as? [String: [String: Bool]])?["orders"]?["email"] == false, "earlier changes stay")
            #expect((merged.json["quiet_hours"] as? [String: String]) == ["start": "22:00", "end": "07:00"] && merged.json["time_zone"] as? String == "Europe/Berlin")
            #expect(try await api.send(.patch, "/notifications/preferences", json: #"{"quiet_hours": null}"#, token: alice).json["quiet_hours"] == nil)

            for (body, field) in [
                (#"{"channels": {"security": {"email": false}}}"#, "channels.security.email"),
                (#"{"channels": {"spam": {"email": false}}}"#, "channels.spam"),
                (#"{"channels": {"orders": {"fax": true}}}"#, "channels.orders.fax"),
                (#"{"channels": {"orders": {"email": "no"}}}"#, "channels.orders.email"),
                (#"{"quiet_hours": {"start": "25:00", "end": "07:00"}}"#, "quiet_hours.start"),
                (#"{"quiet_hours": {"start": "07:00", "end": "07:00"}}"#, "quiet_hours"),
                (#"{"time_zone": "Mars/Olympus"}"#, "time_zone"),
                (#"{"colour": "blue"}"#, "colour"),
            ] {
                let reply = try await api.send(.patch, "/notifications/preferences", json: body, token: alice)
                #expect(reply.status == .badRequest && reply.invalidFields.contains(field), "\(body): \(reply.body)")
            }
            #expect(try await api.send(.get, "/notifications/preferences", token: nil).status == .unauthorized)
            let bob = try await api.send(.get, "/notifications/preferences", token: try await api.token("bob"))
            #expect(bob.json["time_zone"] as? String == "UTC", "each user's own")
        }
    }

    @Test func remindersAreCreatedListedAndDeletedByTheirOwner() async throws {
        try await NotificationsHarness.run { api in
            let alice = try await api.token()
            _ = try await api.send(.patch, "/notifications/preferences", json: #"{"time_zone": "Asia/Tokyo"}"#, token: alice)
            let created = try await api.send(.post, "/reminders", json: #"{"title": "Stretch", "time": "07:30", "days": ["fri", "mon"]}"#, token: alice)
            #expect(created.status == .created, "\(created.body)")
            let id = try #require(created.json["id"] as? String)
            #expect(created.headers[.location] == "/reminders/\(id)")
            #expect(created.json["time_zone"] as? String == "Asia/Tokyo", "the preference zone by default")
            #expect(created.json["days"] as? [String] == ["mon", "fri"])
            let nextText = try #require(created.json["next_fire_at"] as? String)
            let next = try #require(RFC3339.parse(nextText))
            #expect(next > Date())
            #expect((try await api.send(.get, "/reminders", token: alice).json["data"] as? [Any])?.count == 1)

            let bob = try await api.token("bob")
            #expect((try await api.send(.get, "/reminders", token: bob).json["data"] as? [Any])?.isEmpty == true)
            #expect(try await api.send(.delete, "/reminders/\(id)", token: bob).status == .notFound)
            #expect(try await api.send(.delete, "/reminders/\(id)", token: alice).status == .noContent)
            #expect(try await api.send(.delete, "/reminders/\(id)", token: alice).status == .notFound)
            #expect(try await api.send(.delete, "/reminders/nope", token: alice).status == .notFound)

            for (body, field) in [
                (#"{"time": "07:30"}"#, "title"),
                (#"{"title": "x", "time": "7:30"}"#, "time"),
                (#"{"title": "x", "time": "07:30", "days": ["someday"]}"#, "days"),
                (#"{"title": "x", "time": "07:30", "days": ["mon", "mon"]}"#, "days"),
                (#"{"title": "x", "time": "07:30", "time_zone": "Nowhere/City"}"#, "time_zone"),
            ] {
                let reply = try await api.send(.post, "/reminders", json: body, token: alice)
                #expect(reply.status == .badRequest && reply.invalidFields.contains(field), "\(body): \(reply.body)")
            }
            #expect(try await api.send(.post, "/reminders", json: #"{"title": "x", "time": "07:30"}"#, token: nil).status == .unauthorized)
            #expect((try await api.send(.get, "/reminders", token: alice).json["data"] as? [Any])?.isEmpty == true, "nothing half-written")
        }
    }

    @Test func aDueReminderFiresExactlyOnceWithTwoReplicas() async throws {
        try await NotificationsHarness.run(replicas: 2) { api in
            let alice = try await api.token()
            let created = try await api.send(.post, "/reminders", json: #"{"title": "Water the plants", "time": "08:00", "time_zone": "UTC"}"#, token: alice)
            let id = try #require(created.json["id"] as? String)
            // As after a week of downtime: due seven days ago.
            try await api.pool.query("UPDATE reminders SET next_fire_at = now() - interval '7 days' WHERE id = $1::uuid", [id])
            try await waitUntil("the reminder has fired") {
                try await api.pool.query("SELECT 1 FROM reminders WHERE last_fired_at IS NOT NULL").rows.count == 1
            }
            let next = try await api.pool.query("SELECT next_fire_at > now() AS ahead FROM reminders").rows[0].decode("ahead", as: Bool.self)
            #expect(next, "the next firing is the first after now: one late reminder, not seven")
            // Both replicas' schedulers keep polling; give them a condition to pass through, then count.
            try await waitUntil("both schedulers have polled since") {
                try await api.pool.query("SELECT 1 FROM reminders WHERE last_fired_at < now() - interval '200 milliseconds'").rows.count == 1
            }
            #expect(try await api.stored(for: "alice").map(\.kind) == ["reminder"], "fired once")
        }
    }
}

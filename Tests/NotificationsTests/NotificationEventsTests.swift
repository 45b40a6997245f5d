import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Notifications

/// The events notifications consumes, from real streams: each turns into what its user
/// should see (and a redelivery into nothing more); and what it publishes, as catalogued.
@Suite("notifications: consumed events")
struct NotificationEventsTests {
    @Test func aRegistrationWelcomesInTheInboxAndByEmailOnce() async throws {
        try await NotificationsHarness.run { api in
            let event = try await api.publish(
                "user.registered", from: "auth", data: ["user_id": "u-ada", "email": "ada@example.com", "name": "Ada"])
            try await waitUntil("the welcome email is written") { try api.mails().count == 1 }
            #expect(try await api.stored(for: "u-ada").map(\.kind) == ["welcome"])
            let mail = try #require(try api.mails().first)
            #expect(mail.contains("To: ada@example.com") && mail.contains("Subject: Welcome to Flotilla, Ada"))

            // The same event again (a replay, a redelivery): nothing new.
            try await TestEvents.publish(event, redis: api.redis, prefix: api.streamPrefix)
            let other = try await api.publish("user.registered", from: "auth", data: ["user_id": "u-bob", "email": "bob@example.com", "name": "Bob"])
            try await waitUntil("the next event is handled") { try api.mails().count == 2 }
            #expect(try await api.stored(for: "u-ada").count == 1, "welcomed once")
            #expect(other.id != event.id)

            let outbox = try await EventCatalogue.recorded(in: api.pool)
            #expect(outbox.map(\.type) == ["notification.created", "notification.created"])
            let path = EventCatalogue.path(ofService: "Notifications")
            #expect(try await EventCatalogue.problems(catalogue: path, events: outbox).isEmpty)
        }
    }

    @Test func anOrderIsConfirmedWithItsExactTotal() async throws {
        try await NotificationsHarness.run { api in
            try await api.publish("user.registered", from: "auth", data: ["user_id": "alice", "email": "alice@example.com", "name": "Alice"])
            // As in life, the account exists before its first order: streams are consumed side
            // by side, so an order.placed handled first would find no address to email.
            try await waitUntil("alice's address is known") {
                try await api.pool.withConnection { try await $0.recipient("alice")?.email } != nil
            }
            try await api.publish("order.placed", from: "orders", aggregate: "ord_7", data: [
                "order_id": "ord_7", "customer_id": "cust_1", "user_id": "alice", "status": "pending", "total": "2001.10", "payment_method": "card",
                "items": .array([.object(["product_id": "w1", "quantity": .int(2), "unit_price": "1000.10", "line_total": "2000.20"])]),
            ])
            try await waitUntil("the confirmation is written") { try api.mails().contains { $0.contains("Your order ord_7") } }
            let mail = try #require(try api.mails().first { $0.contains("Your order ord_7") })
            let text = try #require(Self.decodedParts(mail).first)
            #expect(text.contains("2 × w1 at 1000.10: 2000.20") && text.contains("Total: 2001.10"))
            #expect(try await api.stored(for: "alice").map(\.title).contains("Order ord_7 placed"))
        }
    }

    @Test func assigneesAndCreatorsHearAboutTasksOthersChanged() async throws {
        try await NotificationsHarness.run { api in
            for (user, name) in [("alice", "Alice"), ("bob", "Bob")] {
                try await api.publish("user.registered", from: "auth", data: ["user_id": .string(user), "email": .string("\(user)@example.com"), "name": .string(name)])
            }
            try await waitUntil("both addresses are known") { try api.mails().count == 2 }
            func task(_ extra: [String: JSONValue]) -> [String: JSONValue] {
                ["task_id": "t1", "key": "WEB-7", "project_id": "p1", "project_key": "WEB", "owner_id": "alice", "title": "Fix login",
                 "state_id": "s1", "state_group": "unstarted", "priority": "high", "assignees": .array(["bob"]), "due_on": "2026-12-24",
                 "completed_at": .null].merging(extra) { $1 }
            }
            // Assigning yourself, or completing your own task, tells nobody.
            try await api.publish("task.assigned", from: "tasks", aggregate: "t1", actor: "bob", data: task(["assignee_id": "bob"]))
            try await api.publish("task.completed", from: "tasks", aggregate: "t1", actor: "alice", data: task(["state_group": "completed"]))
            try await api.publish("task.assigned", from: "tasks", aggregate: "t1", actor: "alice", data: task(["assignee_id": "bob"]))
            try await api.publish("task.completed", from: "tasks", aggregate: "t1", actor: "bob", data: task(["state_group": "completed"]))
            try await waitUntil("both task emails are written") { try api.mails().count == 4 }
            let bobs = try await api.stored(for: "bob").filter { $0.kind == "task_assigned" }
            #expect(bobs.map(\.title) == ["WEB-7 was assigned to you"])
            let mail = try #require(try api.mails().first { $0.contains("Subject: [WEB-7] Fix login was assigned to you") })
            #expect(mail.contains("To: bob@example.com"))
            #expect(try await api.stored(for: "alice").filter { $0.kind == "task_completed" }.map(\.title) == ["WEB-7 is done"])
            #expect(try await api.stored(for: "alice").filter { $0.kind == "task_assigned" }.isEmpty)
            let body = try await api.pool.query("SELECT body FROM notifications WHERE user_id = 'bob' AND kind = 'task_assigned'").rows[0].decode("body", as: String.self)
            #expect(body == "Alice assigned you “Fix login”, due 2026-12-24.")
        }
    }

    @Test func streakMilestonesAreAchievementsAndHabitRemindersFollowTheHabit() async throws {
        try await NotificationsHarness.run { api in
            let habit: [String: JSONValue] = [
                "habit_id": "h1", "user_id": "alice", "name": "Run", "timezone": "Europe/Berlin", "archived": false, "reminder_time": "07:30",
                "schedule": .object(["type": "weekdays", "days": .array(["mon", "wed"])]),
            ]
            try await api.publish("habit.created", from: "habits", aggregate: "h1", data: habit)
            for streak in [6, 7, 8] {
                try await api.publish("habit.streak_extended", from: "habits", aggregate: "h1", data: [
                    "habit_id": "h1", "user_id": "alice", "name": "Run", "streak": .int(streak), "unit": "days",
                ])
            }
            try await waitUntil("the achievement is stored") { try await api.stored(for: "alice").contains { $0.kind == "achievement" } }
            try await waitUntil("the habit's reminder exists") {
                try await api.pool.query("SELECT 1 FROM reminders WHERE source = 'habit:h1' AND days = '{mon,wed}' AND time_zone = 'Europe/Berlin'").rows.count == 1
            }
            var updated = habit
            updated["reminder_time"] = .null
            try await api.publish("habit.updated", from: "habits", aggregate: "h1", data: updated)
            try await api.publish("habit.streak_extended", from: "habits", aggregate: "h1", data: [
                "habit_id": "h1", "user_id": "alice", "name": "Run", "streak": .int(9), "unit": "days",
            ])
            try await waitUntil("the reminder went with the reminder time") {
                try await api.pool.query("SELECT 1 FROM reminders WHERE source = 'habit:h1'").rows.isEmpty
            }
            try await waitUntil("every event is handled") {
                try await api.pool.query("SELECT count(*)::int AS n FROM processed_events").rows[0].decode("n", as: Int.self) == 6
            }
            #expect(try await api.stored(for: "alice").map(\.title) == ["7 days in a row!"], "only the milestone")
        }
    }

    @Test func securityIgnoresQuietHoursWhileOtherEmailsWait() async throws {
        try await NotificationsHarness.run { api in
            let alice = try await api.token()
            // Quiet all day but one minute: any time now is quiet.
            let now = Date()
            let minute = Int(now.timeIntervalSince1970) / 60 % 1440
            let end = ClockTime(minute: (minute + 720) % 1440)!, start = ClockTime(minute: (minute + 721) % 1440)!
            let patch = #"{"quiet_hours": {"start": "\#(start)", "end": "\#(end)"}}"#
            #expect(try await api.send(.patch, "/notifications/preferences", json: patch, token: alice).status == .ok)
            try await api.publish("user.registered", from: "auth", data: ["user_id": "alice", "email": "alice@example.com", "name": "Alice"])
            try await api.publish("user.locked", from: "auth", data: [
                "user_id": "alice", "email": "alice@example.com", "locked_seconds": .int(900), "client_ip": "203.0.113.9",
            ])
            try await waitUntil("the security email is written") { try api.mails().contains { $0.contains("Failed sign-in attempts") } }
            #expect(try api.mails().count == 1, "the welcome email waits for the end of quiet hours")
            // The security email's file is written just before its row is marked sent: look at the welcome's row.
            let waiting = try await api.pool.query(
                "SELECT status, next_attempt_at > now() + interval '11 hours' AS later FROM email_deliveries WHERE subject LIKE 'Welcome%'").rows
            #expect(try waiting.map { try $0.decode("status", as: String.self) } == ["queued"])
            #expect(try waiting.map { try $0.decode("later", as: Bool.self) } == [true], "held until the quiet hours end")
            #expect(try await api.stored(for: "alice").map(\.kind) == ["welcome", "account_locked"], "in-app items are stored at once")
            let mail = try #require(try api.mails().first)
            let text = try #require(Self.decodedParts(mail).first)
            #expect(text.contains("203.0.113.9") && text.contains("15 minutes"))
        }
    }

    @Test func aDeletedUserIsForgotten() async throws {
        try await NotificationsHarness.run { api in
            let alice = try await api.token()
            try await api.publish("user.registered", from: "auth", data: ["user_id": "alice", "email": "alice@example.com", "name": "Alice"])
            #expect(try await api.send(.post, "/reminders", json: #"{"title": "x", "time": "07:00"}"#, token: alice).status == .created)
            try await waitUntil("the welcome is stored") { try await api.stored(for: "alice").count == 1 }
            try await api.publish("user.deleted", from: "auth", data: ["user_id": "alice"])
            try await waitUntil("everything of alice's is gone") {
                let left = try await api.pool.query(
                    "SELECT (SELECT count(*) FROM notifications) + (SELECT count(*) FROM recipients) + (SELECT count(*) FROM reminders) AS n"
                ).rows[0].decode("n", as: Int.self)
                return left == 0
            }
        }
    }

    /// The base64 bodies of a MIME message, decoded, in order.
    static func decodedParts(_ mail: String) -> [String] {
        mail.components(separatedBy: "Content-Transfer-Encoding: base64\r\n\r\n").dropFirst().compactMap { part in
            let encoded = part.components(separatedBy: "\r\n--").first?.replacingOccurrences(of: "\r\n", with: "") ?? ""
            return Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) }
        }
    }
}

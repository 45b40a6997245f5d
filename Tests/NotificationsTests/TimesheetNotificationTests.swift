import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Notifications

/// time's timesheet events, from a real stream: approvers hear of a submitted week, its
/// owner of the decision with the approver's comment.
@Suite("notifications: timesheets")
struct TimesheetNotificationTests {
    @Test func approversHearOfASubmittedWeekAndItsOwnerOfTheDecision() async throws {
        try await NotificationsHarness.run { api in
            for (user, name) in [("bob", "Bob"), ("ann", "Ann"), ("carl", "Carl")] {
                try await api.publish("user.registered", from: "auth", data: ["user_id": .string(user), "email": .string("\(user)@example.com"), "name": .string(name)])
            }
            try await waitUntil("everyone's address is known") {
                try await api.pool.query("SELECT count(*)::int AS n FROM recipients").rows[0].decode("n", as: Int.self) == 3
            }
            try await api.publish("timesheet.submitted", from: "time", aggregate: "bob:2026-W49", actor: "bob", data: [
                "user_id": "bob", "week": "2026-W49", "approvers": ["ann", "carl"], "total_seconds": .int(27000),
            ])
            try await waitUntil("both approvers are told") {
                let ann = try await api.stored(for: "ann"), carl = try await api.stored(for: "carl")
                return ann.contains { $0.kind == "timesheet_submitted" } && carl.contains { $0.kind == "timesheet_submitted" }
            }
            #expect(try await api.stored(for: "ann").last?.title == "Bob submitted 2026-W49")

            try await api.publish("timesheet.rejected", from: "time", aggregate: "bob:2026-W49", actor: "ann", data: [
                "user_id": "bob", "week": "2026-W49", "decided_by": "ann", "comment": "Split Tuesday by task.",
            ])
            try await waitUntil("bob hears the decision by email") {
                try api.mails().contains { $0.contains("Subject: Your timesheet 2026-W49 was rejected") }
            }
            let inbox = try await api.send(.get, "/notifications", token: try await api.token("bob")).json["data"] as? [[String: Any]] ?? []
            let item = inbox.first { $0["kind"] as? String == "timesheet_decided" }
            #expect(item?["body"] as? String == "Ann rejected it. “Split Tuesday by task.”", "\(item ?? [:])")
            #expect(item?["category"] as? String == "approvals")
        }
    }

    @Test(arguments: [(27000, "7.5"), (8820, "2.45"), (3600, "1"), (0, "0"), (60, "0.02"), (5400, "1.5")])
    func hoursAreShortAndExact(_ seconds: Int, _ text: String) {
        #expect(TimesheetNotifications.hours(seconds) == text)
    }
}

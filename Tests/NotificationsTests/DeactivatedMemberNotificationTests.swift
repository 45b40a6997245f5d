import FlotillaKit
import FlotillaKitTesting
import Foundation
import Testing

@testable import Notifications

/// projects' `project.member_removed` of someone deactivated: each admin it names is told
/// (never the person); an ordinary removal tells nobody.
@Suite("notifications: a deactivated member")
struct DeactivatedMemberNotificationTests {
    @Test func theProjectsAdminsAreToldAndNobodyElse() async throws {
        try await NotificationsHarness.run { api in
            for (user, name) in [("carol", "Carol"), ("alice", "Alice"), ("bob", "Bob")] {
                try await api.publish("user.registered", from: "auth", data: ["user_id": .string(user), "email": .string("\(user)@example.com"), "name": .string(name)])
            }
            try await waitUntil("everyone's address is known") {
                try await api.pool.query("SELECT count(*)::int AS n FROM recipients").rows[0].decode("n", as: Int.self) == 3
            }
            let project: [String: JSONValue] = ["project_id": "00000000-0000-4000-8000-000000000001", "key": "WEB", "role": "member"]
            try await api.publish("project.member_removed", from: "projects", data: project.merging(["user_id": "bob"]) { $1 })
            try await api.publish("project.member_removed", from: "projects", data: project.merging([
                "user_id": "carol", "reason": "deactivated", "admins": ["alice", "bob"],
            ]) { $1 })
            try await waitUntil("both admins are told") {
                let alice = try await api.stored(for: "alice"), bob = try await api.stored(for: "bob")
                return alice.contains { $0.kind == "member_deactivated" } && bob.contains { $0.kind == "member_deactivated" }
            }
            #expect(try await api.stored(for: "alice").filter { $0.kind == "member_deactivated" }.map(\.title) == ["Carol left WEB"], "once, for the deactivation only")
            #expect(try await api.stored(for: "carol").allSatisfy { $0.kind == "welcome" })
        }
    }
}

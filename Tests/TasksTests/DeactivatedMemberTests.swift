import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Tasks

/// A person users deactivates (`user.deactivated`, from a real stream) leaves every project
/// in the real projects service, which hands a project they owned to its next admin; tasks
/// then unassigns them, and the removal names the admins for notifications.
@Suite("tasks and projects: a deactivated person")
struct DeactivatedMemberTests {
    @Test func leavesEveryProjectAndIsUnassigned() async throws {
        try await TasksHarness.run { api in
            try await api.project("WEB", owner: "alice", members: ["bob": "admin", "carol": "member"])
            try await api.project("OPS", owner: "carol")
            let task = try await api.task(#"{"project": "WEB", "title": "Hero image", "assignees": ["carol"]}"#)
            let key = try #require(task["key"] as? String)

            let redis = try TestRedis.makeClient()
            try await TestEvents.publish(
                TestEvents.envelope("user.deactivated", from: "users", aggregate: "carol", actor: "root", data: ["user_id": "carol", "handle": "carol", "organizations": []]),
                redis: redis, prefix: api.streamPrefix)
            await redis.close()

            try await waitUntil("carol is unassigned") {
                (try await api.send(.get, "/tasks/\(key)", token: try await api.token()).json["assignees"] as? [String]) == []
            }
            let members = try await api.projects("GET", "/projects/WEB/members")["data"] as? [[String: Any]] ?? []
            #expect(members.compactMap { $0["user_id"] as? String } == ["alice", "bob"])
            // OPS had nobody else: it keeps its only owner rather than none.
            let ops = try await api.projects("GET", "/projects/OPS/members", as: "carol")["data"] as? [[String: Any]] ?? []
            #expect(ops.compactMap { $0["user_id"] as? String } == ["carol"])
            let removed = try await api.pool.query(
                "SELECT payload::text AS p FROM \(api.projectsSchema).recorded_events WHERE event_type = 'project.member_removed'"
            ).rows.map { try $0.decode("p", as: String.self) }
            #expect(removed.count == 1 && removed[0].contains(#""reason": "deactivated""#) && removed[0].contains(#""admins": ["alice", "bob"]"#), "\(removed)")
        }
    }

    @Test func aProjectTheyOwnedPassesToItsNextAdmin() async throws {
        try await TasksHarness.run { api in
            try await api.project("WEB", owner: "alice", members: ["bob": "admin", "dan": "member"])
            let redis = try TestRedis.makeClient()
            try await TestEvents.publish(
                TestEvents.envelope("user.deactivated", from: "users", aggregate: "alice", actor: "alice", data: ["user_id": "alice", "handle": "alice", "organizations": []]),
                redis: redis, prefix: api.streamPrefix)
            await redis.close()
            try await waitUntil("bob owns WEB") {
                let members = try await api.projects("GET", "/projects/WEB/members", as: "bob")["data"] as? [[String: Any]] ?? []
                return members.map { "\($0["user_id"] ?? ""):\($0["role"] ?? "")" } == ["bob:owner", "dan:member"]
            }
            #expect(try await api.projects("GET", "/projects/WEB", as: "bob")["owner_id"] as? String == "bob")
        }
    }
}

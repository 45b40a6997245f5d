import FlotillaKit
import FlotillaKitTesting
import HTTPTypes
import Testing

@testable import Projects

@Suite("projects: members")
struct MemberRoutesTests {
    @Test func addChangeRemoveAndLeave() async throws {
        try await ProjectsHarness.run { api in
            let alice = try await api.project("WEB")
            try await api.add("bob", role: "admin")
            try await api.add("carol", role: "member")
            let again = try await api.send(.post, "/projects/WEB/members", json: #"{"user_id": "carol"}"#, token: alice)
            #expect(again.status == .conflict && again.errorCode == "already_member")
            let badRole = try await api.send(.post, "/projects/WEB/members", json: #"{"user_id": "dan", "role": "boss"}"#, token: alice)
            #expect(badRole.status == .badRequest && badRole.invalidFields == ["role"])

            let members = try await api.send(.get, "/projects/WEB/members", token: alice).json["data"] as? [[String: Any]] ?? []
            #expect(members.compactMap { $0["user_id"] as? String } == ["alice", "bob", "carol"], "owners first")

            let bob = try await api.token("bob")
            #expect(try await api.send(.patch, "/projects/WEB/members/carol", json: #"{"role": "viewer"}"#, token: bob).json["role"] as? String == "viewer")
            let promote = try await api.send(.patch, "/projects/WEB/members/carol", json: #"{"role": "owner"}"#, token: bob)
            #expect(promote.status == .forbidden, "only owners make owners")
            let carol = try await api.token("carol")
            let kick = try await api.send(.delete, "/projects/WEB/members/bob", token: carol)
            #expect(kick.status == .forbidden, "removing a member is refused for a non-admin")
            #expect(try await api.send(.delete, "/projects/WEB/members/carol", token: carol).status == .noContent, "anyone may leave")
            #expect(try await api.send(.get, "/projects/WEB", token: carol).status == .notFound, "and then sees nothing")
            #expect(try await api.send(.delete, "/projects/WEB/members/nobody", token: alice).status == .notFound)

            let events = try await EventCatalogue.recorded(in: api.pool)
            #expect(events.map(\.type) == [
                "project.created", "project.member_added", "project.member_added", "project.member_role_changed", "project.member_removed",
            ])
            #expect(events[3].data["old_role"] == "member" && events[3].data["role"] == "viewer")
            let problems = try await EventCatalogue.problems(catalogue: EventCatalogue.path(ofService: "Projects"), events: events, requireAll: false)
            #expect(problems.isEmpty, "\(problems)")
        }
    }

    @Test func theLastOwnerCannotLeaveOrBeDemotedAndTransferDemotesToAdmin() async throws {
        try await ProjectsHarness.run { api in
            let alice = try await api.project("WEB")
            try await api.add("bob", role: "member")
            let leave = try await api.send(.delete, "/projects/WEB/members/alice", token: alice)
            #expect(leave.status == .conflict && leave.errorCode == "last_owner", "\(leave.body)")
            let demote = try await api.send(.patch, "/projects/WEB/members/alice", json: #"{"role": "admin"}"#, token: alice)
            #expect(demote.status == .conflict && demote.errorCode == "last_owner")

            let outsider = try await api.send(.post, "/projects/WEB/transfer", json: #"{"user_id": "zed"}"#, token: alice)
            #expect(outsider.status == .badRequest && outsider.invalidFields == ["user_id"])
            let bob = try await api.token("bob")
            #expect(try await api.send(.post, "/projects/WEB/transfer", json: #"{"user_id": "alice"}"#, token: bob).status == .forbidden)
            let transferred = try await api.send(.post, "/projects/WEB/transfer", json: #"{"user_id": "bob"}"#, token: alice)
            #expect(transferred.status == .ok, "\(transferred.body)")
            let roles = Dictionary(uniqueKeysWithValues: (transferred.json["data"] as? [[String: Any]] ?? []).map { ($0["user_id"] as? String ?? "", $0["role"] as? String ?? "") })
            #expect(roles == ["bob": "owner", "alice": "admin"])
            #expect(try await api.send(.get, "/projects/WEB", token: bob).json["owner_id"] as? String == "bob")
            // Now alice may leave: bob owns it.
            #expect(try await api.send(.delete, "/projects/WEB/members/alice", token: alice).status == .noContent)
        }
    }

    @Test func twoOwnersDemotingEachOtherAtOnceLeaveOne() async throws {
        try await ProjectsHarness.run { api in
            let alice = try await api.project("WEB")
            try await api.add("bob", role: "owner")
            let bob = try await api.token("bob")
            // At once, each on its own connection (the test client would queue them on one).
            let base = "http://127.0.0.1:\(api.port)/projects/WEB/members/"
            func demote(_ user: String, as token: String) async throws -> Int {
                try await HTTPTestClient.send(
                    "PATCH", base + user, headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                    body: #"{"role": "admin"}"#, timeout: .seconds(120)).status
            }
            async let first = demote("bob", as: alice)
            async let second = demote("alice", as: bob)
            let statuses = [try await first, try await second].sorted()
            #expect(statuses == [200, 409], "the project lock serializes them; the second sees the last owner")
            let owners = try await api.pool.query("SELECT count(*)::int AS n FROM project_members WHERE role = 'owner'").rows[0].decode("n", as: Int.self)
            #expect(owners == 1)
        }
    }
}

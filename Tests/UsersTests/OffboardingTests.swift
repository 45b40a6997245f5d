import FlotillaKit
import FlotillaKitTesting
import HTTPTypes
import Testing

@testable import Users

@Suite("users: offboarding")
struct OffboardingTests {
    @Test func deactivatingKeepsTheProfileRemovesMembershipsAndTellsTheFleet() async throws {
        try await UsersHarness.run { api in
            let alice = try await api.organization("acme")
            try await api.organization("solo", owner: "bob")
            let bob = try await api.join("bob", as: "admin")
            #expect(try await api.send(.patch, "/users/me", json: #"{"display_name": "Bob B."}"#, token: bob).status == .ok)
            _ = try await api.send(.post, "/organizations/acme/teams", json: #"{"slug": "web", "name": "Web"}"#, token: alice)
            _ = try await api.send(.put, "/organizations/acme/teams/web/members/bob", token: alice)

            let refused = try await api.send(.post, "/users/bob/deactivate", token: bob)
            #expect(refused.status == .conflict && refused.errorCode == "last_owner" && (refused.json["message"] as? String)?.contains("solo") == true)
            #expect(try await api.send(.post, "/users/bob/deactivate", token: try await api.register("carol")).status == .forbidden)
            #expect(try await api.send(.post, "/users/nobody/deactivate", token: alice).status == .notFound)

            _ = try await api.join("dan", to: "solo", invitedBy: "bob")
            #expect(try await api.send(.post, "/organizations/solo/transfer", json: #"{"user_id": "dan"}"#, token: bob).status == .ok)
            let admin = try await api.token("root", roles: [.admin])
            let done = try await api.send(.post, "/users/bob/deactivate", token: admin)
            #expect(done.status == .ok && done.json["deactivated_at"] as? String != nil, "\(done.body)")
            #expect(try await api.send(.post, "/users/bob/deactivate", token: admin).status == .ok, "twice changes nothing")

            #expect(try await api.send(.get, "/users/bob", token: alice).json["handle"] as? String == "bob", "the profile stays for history")
            #expect(try await api.send(.get, "/users/resolve?handles=bob", token: alice).json["unknown"] as? [String] == ["bob"])
            #expect(try await api.send(.get, "/organizations", token: bob).json["data"].map { ($0 as? [Any])?.count } == 0)
            let team = try await api.send(.get, "/organizations/acme/teams/web", token: alice)
            #expect(team.json["member_count"] as? Int == 0)
            let patch = try await api.send(.patch, "/users/me", json: #"{"bio": "back"}"#, token: bob)
            #expect(patch.status == .forbidden && patch.errorCode == "deactivated")

            let events = try await EventCatalogue.recorded(in: api.pool)
            let tail = events.suffix(3)
            #expect(tail.map(\.type) == ["organization.member_removed", "organization.member_removed", "user.deactivated"])
            #expect(tail.first?.data["reason"] == "deactivated")
            #expect(tail.last?.data["organizations"] == .array(["acme", "solo"]))
            let problems = try await EventCatalogue.problems(catalogue: EventCatalogue.path(ofService: "Users"), events: events)
            #expect(problems.isEmpty, "every published type, each as catalogued: \(problems)")
        }
    }

    @Test func aDeletedAccountIsAnonymisedAndItsOrganizationsPassOn() async throws {
        try await UsersHarness.run { api in
            let alice = try await api.organization("acme")
            try await api.join("bob", as: "admin")
            _ = try await api.send(.post, "/organizations", json: #"{"slug": "solo", "name": "Solo"}"#, token: alice)
            let deleted = TestEvents.envelope("user.deleted", from: "auth", aggregate: "alice", actor: "alice", data: ["user_id": "alice"])
            try await TestEvents.publish(deleted, redis: api.redis, prefix: api.streamPrefix)
            try await waitUntil("alice's profile is anonymised") {
                try await api.pool.query("SELECT handle FROM profiles WHERE user_id = 'alice'").rows[0].decode("handle", as: String.self).hasPrefix("deleted-")
            }
            let bob = try await api.token("bob")
            let profile = try await api.send(.get, "/users/alice", token: bob)
            #expect(profile.json["display_name"] as? String == "Deleted user" && profile.json["deactivated_at"] as? String != nil)
            let members = try await api.send(.get, "/organizations/acme/members", token: bob).json["data"] as? [[String: Any]] ?? []
            #expect(members.map { "\($0["user_id"] ?? ""):\($0["role"] ?? "")" } == ["bob:owner"], "the next admin owns it")
            let admin = try await api.token("root", roles: [.admin])
            #expect(try await api.send(.get, "/organizations/solo", token: admin).status == .notFound, "an organization with nobody left goes")
            #expect(try await api.send(.get, "/users/resolve?handles=alice", token: bob).json["unknown"] as? [String] == ["alice"])
            // The handle is free again.
            #expect(try await api.send(.patch, "/users/me", json: #"{"handle": "alice"}"#, token: bob).status == .ok)

            let events = try await EventCatalogue.recorded(in: api.pool)
            #expect(events.suffix(4).map(\.type) == ["organization.member_role_changed", "organization.member_removed", "user.deactivated", "user.profile_updated"])
            let problems = try await EventCatalogue.problems(catalogue: EventCatalogue.path(ofService: "Users"), events: events, requireAll: false)
            #expect(problems.isEmpty, "\(problems)")
        }
    }
}

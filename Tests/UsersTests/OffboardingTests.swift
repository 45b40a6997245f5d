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
}

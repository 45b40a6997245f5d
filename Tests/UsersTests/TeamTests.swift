import FlotillaKit
import FlotillaKitTesting
import HTTPTypes
import Testing

@testable import Users

@Suite("users: teams")
struct TeamTests {
    @Test func teamsHoldOnlyMembersOfTheirOrganization() async throws {
        try await UsersHarness.run { api in
            let alice = try await api.organization("acme")
            let bob = try await api.join("bob")
            try await api.register("outsider")
            let created = try await api.send(.post, "/organizations/acme/teams", json: #"{"slug": "web", "name": "Web", "description": "The site"}"#, token: alice)
            #expect(created.status == .created && created.headers[.location] == "/organizations/acme/teams/web")
            let duplicate = try await api.send(.post, "/organizations/acme/teams", json: #"{"slug": "web", "name": "Web 2"}"#, token: alice)
            #expect(duplicate.status == .conflict && duplicate.errorCode == "slug_taken")
            #expect(try await api.send(.post, "/organizations/acme/teams", json: #"{"slug": "-", "name": ""}"#, token: alice).invalidFields == ["slug", "name"])
            #expect(try await api.send(.post, "/organizations/acme/teams", json: #"{"slug": "ops", "name": "Ops"}"#, token: bob).status == .forbidden)

            #expect(try await api.send(.put, "/organizations/acme/teams/web/members/bob", token: alice).status == .created)
            #expect(try await api.send(.put, "/organizations/acme/teams/web/members/bob", token: alice).status == .ok, "adding twice changes nothing")
            let outsider = try await api.send(.put, "/organizations/acme/teams/web/members/outsider", token: alice)
            #expect(outsider.status == .unprocessableContent && outsider.errorCode == "not_an_organization_member", "\(outsider.body)")
            #expect(try await api.send(.put, "/organizations/acme/teams/web/members/alice", token: bob).status == .forbidden)
            #expect(try await api.send(.put, "/organizations/acme/teams/nope/members/alice", token: alice).status == .notFound)

            let team = try await api.send(.get, "/organizations/acme/teams/web", token: bob)
            #expect(team.json["member_count"] as? Int == 1 && (team.json["members"] as? [[String: Any]])?.first?["user_id"] as? String == "bob")
            let renamed = try await api.send(.patch, "/organizations/acme/teams/web", json: #"{"name": "Website", "description": null}"#, token: alice)
            #expect(renamed.json["name"] as? String == "Website" && renamed.json["description"] == nil)

            // Leaving the organization leaves its teams.
            #expect(try await api.send(.delete, "/organizations/acme/members/bob", token: bob).status == .noContent)
            let teams = try await api.send(.get, "/organizations/acme/teams", token: alice).json["data"] as? [[String: Any]] ?? []
            #expect(teams.map { $0["member_count"] as? Int } == [0])
            #expect(try await api.send(.delete, "/organizations/acme/teams/web/members/bob", token: alice).status == .notFound)
            #expect(try await api.send(.delete, "/organizations/acme/teams/web", token: alice).status == .noContent)
            #expect(try await api.send(.get, "/organizations/acme/teams/web", token: alice).status == .notFound)
        }
    }
}

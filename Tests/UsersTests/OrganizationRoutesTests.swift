import FlotillaKit
import FlotillaKitTesting
import HTTPTypes
import Testing

@testable import Users

@Suite("users: organizations and members")
struct OrganizationRoutesTests {
    @Test func createListShowAndRename() async throws {
        try await UsersHarness.run { api in
            let alice = try await api.organization("acme")
            let bad = try await api.send(.post, "/organizations", json: #"{"slug": "Acme Inc", "name": ""}"#, token: alice)
            #expect(bad.status == .badRequest && bad.invalidFields == ["slug", "name"], "\(bad.body)")
            let taken = try await api.send(.post, "/organizations", json: #"{"slug": "acme", "name": "Another"}"#, token: alice)
            #expect(taken.status == .conflict && taken.errorCode == "slug_taken")
            #expect(try await api.send(.post, "/organizations", json: #"{"slug": "acme", "name": "X"}"#, token: nil).status == .unauthorized)

            let list = try await api.send(.get, "/organizations", token: alice)
            #expect((list.json["data"] as? [[String: Any]])?.first?["role"] as? String == "owner")
            #expect((list.json["pagination"] as? [String: Any])?["total"] as? Int == 1)
            #expect(try await api.send(.get, "/organizations?limit=0", token: alice).status == .badRequest)

            let bob = try await api.join("bob", as: "member")
            let mallory = try await api.register("mallory")
            #expect(try await api.send(.get, "/organizations/acme", token: mallory).status == .notFound, "outsiders cannot tell it exists")
            #expect(try await api.send(.get, "/organizations/acme/members", token: mallory).status == .notFound)
            #expect(try await api.send(.get, "/organizations/ACME!", token: alice).status == .notFound)
            #expect(try await api.send(.get, "/organizations/acme", token: bob).json["role"] as? String == "member")
            let rename = try await api.send(.patch, "/organizations/acme", json: #"{"name": "Acme Studio"}"#, token: bob)
            #expect(rename.status == .forbidden && (rename.json["message"] as? String)?.contains("admin") == true)
            let renamed = try await api.send(.patch, "/organizations/acme", json: #"{"name": "Acme Studio"}"#, token: alice)
            #expect(renamed.json["name"] as? String == "Acme Studio")
            let slug = try await api.send(.patch, "/organizations/acme", json: #"{"name": "A", "slug": "b"}"#, token: alice)
            #expect(slug.status == .badRequest && slug.invalidFields == ["slug"])
            let admin = try await api.token("root", roles: [.admin])
            #expect(try await api.send(.get, "/organizations/acme", token: admin).status == .ok, "platform admins may read")
        }
    }

    @Test func rolesChangeUnderTheRulesAndTheLastOwnerStays() async throws {
        try await UsersHarness.run { api in
            let alice = try await api.organization("acme")
            let bob = try await api.join("bob", as: "admin")
            let carol = try await api.join("carol", as: "member")

            let members = try await api.send(.get, "/organizations/acme/members", token: carol).json["data"] as? [[String: Any]] ?? []
            #expect(members.compactMap { $0["user_id"] as? String } == ["alice", "bob", "carol"], "owners first")
            #expect(members.first?["handle"] as? String == "alice", "with their handles")

            #expect(try await api.send(.patch, "/organizations/acme/members/carol", json: #"{"role": "guest"}"#, token: bob).json["role"] as? String == "guest")
            #expect(try await api.send(.patch, "/organizations/acme/members/carol", json: #"{"role": "owner"}"#, token: bob).status == .forbidden, "only owners make owners")
            #expect(try await api.send(.patch, "/organizations/acme/members/bob", json: #"{"role": "member"}"#, token: carol).status == .forbidden)
            #expect(try await api.send(.patch, "/organizations/acme/members/carol", json: #"{"role": "boss"}"#, token: alice).invalidFields == ["role"])
            #expect(try await api.send(.patch, "/organizations/acme/members/nobody", json: #"{"role": "member"}"#, token: alice).status == .notFound)

            let leave = try await api.send(.delete, "/organizations/acme/members/alice", token: alice)
            #expect(leave.status == .conflict && leave.errorCode == "last_owner", "\(leave.body)")
            let demote = try await api.send(.patch, "/organizations/acme/members/alice", json: #"{"role": "admin"}"#, token: alice)
            #expect(demote.status == .conflict && demote.errorCode == "last_owner")

            let transfer = try await api.send(.post, "/organizations/acme/transfer", json: #"{"user_id": "bob"}"#, token: alice)
            #expect(transfer.status == .ok)
            let roles = (transfer.json["data"] as? [[String: Any]] ?? []).reduce(into: [String: String]()) { $0[$1["user_id"] as! String] = $1["role"] as? String }
            #expect(roles == ["alice": "admin", "bob": "owner", "carol": "guest"], "the old owner becomes an admin")
            #expect(try await api.send(.post, "/organizations/acme/transfer", json: #"{"user_id": "carol"}"#, token: alice).status == .forbidden)
            #expect(try await api.send(.post, "/organizations/acme/transfer", json: #"{"user_id": "zed"}"#, token: bob).status == .badRequest)

            #expect(try await api.send(.delete, "/organizations/acme/members/carol", token: carol).status == .noContent, "anyone may leave")
            #expect(try await api.send(.get, "/organizations/acme", token: carol).status == .notFound, "and then sees nothing")

            let events = try await EventCatalogue.recorded(in: api.pool)
            #expect(events.filter { $0.type == "organization.member_removed" }.map { $0.data["reason"] } == ["left"])
            let problems = try await EventCatalogue.problems(catalogue: EventCatalogue.path(ofService: "Users"), events: events, requireAll: false)
            #expect(problems.isEmpty, "\(problems)")
        }
    }

    @Test func twoOwnersLeavingAtOnceLeaveOneOwner() async throws {
        try await UsersHarness.run { api in
            let alice = try await api.organization("acme")
            let bob = try await api.join("bob", as: "owner")
            let replies = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for (user, token) in [("alice", alice), ("bob", bob)] {
                    group.addTask { try await api.send(.delete, "/organizations/acme/members/\(user)", token: token).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.sorted { $0.code < $1.code } == [.noContent, .conflict])
            let owners = try await api.pool.query("SELECT count(*)::int AS n FROM organization_members WHERE role = 'owner'").rows[0].decode("n", as: Int.self)
            #expect(owners == 1)
        }
    }

    @Test func anOutsiderFindsNothingOnAnyRouteOfTheOrganization() async throws {
        try await UsersHarness.run { api in
            let alice = try await api.organization("acme")
            _ = try await api.send(.post, "/organizations/acme/teams", json: #"{"slug": "web", "name": "Web"}"#, token: alice)
            let invitation = try await api.send(.post, "/organizations/acme/invitations", json: #"{"email": "x@example.com"}"#, token: alice)
            let id = try #require(invitation.json["id"] as? String)
            let mallory = try await api.register("mallory")
            let routes: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/organizations/acme", nil), (.patch, "/organizations/acme", #"{"name": "Mine"}"#),
                (.get, "/organizations/acme/members", nil), (.patch, "/organizations/acme/members/alice", #"{"role": "guest"}"#),
                (.delete, "/organizations/acme/members/alice", nil), (.post, "/organizations/acme/transfer", #"{"user_id": "mallory"}"#),
                (.get, "/organizations/acme/teams", nil), (.post, "/organizations/acme/teams", #"{"slug": "x", "name": "X"}"#),
                (.get, "/organizations/acme/teams/web", nil), (.patch, "/organizations/acme/teams/web", #"{"name": "X"}"#),
                (.delete, "/organizations/acme/teams/web", nil), (.put, "/organizations/acme/teams/web/members/mallory", nil),
                (.delete, "/organizations/acme/teams/web/members/alice", nil), (.get, "/organizations/acme/invitations", nil),
                (.post, "/organizations/acme/invitations", #"{"email": "m@example.com"}"#), (.delete, "/organizations/acme/invitations/\(id)", nil),
            ]
            for (method, path, body) in routes {
                let reply = try await api.send(method, path, json: body, token: mallory)
                #expect(reply.status == .notFound, "\(method) \(path): \(reply.status)")
            }
            #expect(try await api.send(.get, "/organizations/acme/teams", token: alice).json["data"].map { ($0 as? [Any])?.count } == 1, "nothing changed")
        }
    }
}

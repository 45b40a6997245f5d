import FlotillaKit
import FlotillaKitTesting
import HTTPTypes
import Testing

@testable import Users

@Suite("users: invitations")
struct InvitationTests {
    @Test func anInvitationIsAcceptedOnceByTheInvitedAccount() async throws {
        try await UsersHarness.run { api in
            let alice = try await api.organization("acme")
            let bob = try await api.register("bob")
            let mallory = try await api.register("mallory")
            let invited = try await api.send(.post, "/organizations/acme/invitations", json: #"{"email": "BOB@example.com", "role": "admin"}"#, token: alice)
            #expect(invited.status == .created)
            #expect(invited.json["email"] as? String == "bob@example.com" && invited.json["status"] as? String == "pending")
            let token = try #require(invited.json["token"] as? String)
            let stored = try await api.pool.query("SELECT token_sha256 FROM invitations").rows[0].decode("token_sha256", as: String.self)
            #expect(stored != token && stored == InvitationToken.sha256(token), "only the hash is kept")
            let listed = try await api.send(.get, "/organizations/acme/invitations", token: alice).json["data"] as? [[String: Any]] ?? []
            #expect(listed.count == 1 && listed[0]["token"] == nil, "never shown again")

            let wrong = try await api.send(.post, "/invitations/accept", json: #"{"token": "\#(token)"}"#, token: mallory)
            #expect(wrong.status == .forbidden && wrong.errorCode == "wrong_account")
            let accepted = try await api.send(.post, "/invitations/accept", json: #"{"token": "\#(token)"}"#, token: bob)
            #expect(accepted.status == .ok && accepted.json["role"] as? String == "admin" && accepted.json["slug"] as? String == "acme")
            let again = try await api.send(.post, "/invitations/accept", json: #"{"token": "\#(token)"}"#, token: bob)
            #expect(again.status == .gone && again.errorCode == "invitation_used", "single use")

            for body in [#"{"token": "nope"}"#, #"{"token": "\#(String(repeating: "a", count: 64))"}"#] {
                #expect(try await api.send(.post, "/invitations/accept", json: body, token: bob).status == .notFound)
            }
            #expect(try await api.send(.post, "/invitations/accept", json: "{}", token: bob).invalidFields == ["token"])
            #expect(try await api.send(.post, "/invitations/accept", json: #"{"token": "\#(token)"}"#, token: nil).status == .unauthorized)

            let events = try await EventCatalogue.recorded(in: api.pool)
            #expect(events.last?.type == "organization.member_added" && events.last?.data["user_id"] == "bob" && events.last?.data["role"] == "admin")
        }
    }

    @Test func invitationsExpireAreDeclinedRevokedAndReplaced() async throws {
        try await UsersHarness.run { api in
            let alice = try await api.organization("acme")
            let bob = try await api.register("bob")
            func invite(_ email: String = "bob@example.com") async throws -> (id: String, token: String) {
                let reply = try await api.send(.post, "/organizations/acme/invitations", json: #"{"email": "\#(email)"}"#, token: alice)
                #expect(reply.status == .created, "\(reply.body)")
                return (try #require(reply.json["id"] as? String), try #require(reply.json["token"] as? String))
            }
            let expiring = try await invite()
            try await api.pool.query("UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1::uuid", [expiring.id])
            let expired = try await api.send(.post, "/invitations/accept", json: #"{"token": "\#(expiring.token)"}"#, token: bob)
            #expect(expired.status == .gone && expired.errorCode == "invitation_expired")

            let replaced = try await invite()
            let current = try await invite()
            let old = try await api.send(.post, "/invitations/accept", json: #"{"token": "\#(replaced.token)"}"#, token: bob)
            #expect(old.status == .gone && (old.json["message"] as? String)?.contains("replaced") == true, "re-inviting replaces")
            #expect(try await api.send(.get, "/organizations/acme/invitations", token: alice).json["data"].map { ($0 as? [Any])?.count } == 1)

            #expect(try await api.send(.post, "/invitations/decline", json: #"{"token": "\#(current.token)"}"#, token: bob).status == .noContent)
            #expect(try await api.send(.post, "/invitations/accept", json: #"{"token": "\#(current.token)"}"#, token: bob).status == .gone)
            #expect(try await api.send(.get, "/organizations/acme", token: bob).status == .notFound, "declining joins nothing")

            let revoked = try await invite()
            #expect(try await api.send(.delete, "/organizations/acme/invitations/\(revoked.id)", token: alice).status == .noContent)
            let twice = try await api.send(.delete, "/organizations/acme/invitations/\(revoked.id)", token: alice)
            #expect(twice.status == .conflict && twice.errorCode == "invitation_closed")
            #expect(try await api.send(.post, "/invitations/accept", json: #"{"token": "\#(revoked.token)"}"#, token: bob).status == .gone)
            #expect(try await api.send(.delete, "/organizations/acme/invitations/not-a-uuid", token: alice).status == .notFound)
            #expect(try await api.send(.delete, "/organizations/acme/invitations/00000000-0000-4000-8000-000000000000", token: alice).status == .notFound)
        }
    }

    @Test func onlyAdminsInviteOnlyOwnersInviteOwnersAndMembersAreNotInvitedAgain() async throws {
        try await UsersHarness.run { api in
            let alice = try await api.organization("acme")
            let bob = try await api.join("bob", as: "admin")
            let carol = try await api.join("carol", as: "member")
            #expect(try await api.send(.post, "/organizations/acme/invitations", json: #"{"email": "d@example.com"}"#, token: carol).status == .forbidden)
            #expect(try await api.send(.get, "/organizations/acme/invitations", token: carol).status == .forbidden)
            #expect(try await api.send(.post, "/organizations/acme/invitations", json: #"{"email": "d@example.com", "role": "owner"}"#, token: bob).status == .forbidden)
            #expect(try await api.send(.post, "/organizations/acme/invitations", json: #"{"email": "d@example.com", "role": "owner"}"#, token: alice).status == .created)
            let member = try await api.send(.post, "/organizations/acme/invitations", json: #"{"email": "carol@example.com"}"#, token: bob)
            #expect(member.status == .conflict && member.errorCode == "already_member")
            let bad = try await api.send(.post, "/organizations/acme/invitations", json: #"{"email": "not an email", "role": "king"}"#, token: alice)
            #expect(bad.status == .badRequest && bad.invalidFields == ["email", "role"], "\(bad.body)")
        }
    }
}

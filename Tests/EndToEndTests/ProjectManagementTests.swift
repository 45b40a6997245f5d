import FlotillaKit
import FlotillaKitTesting
import Foundation
import Testing

/// The project-management profile through the real gateway (its default table) in front of
/// the real auth and users binaries, as its users meet it.
@Suite("end to end: project management", .serialized)
struct ProjectManagementTests {
    func json(_ reply: HTTPTestClient.Reply) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(reply.body.utf8))) as? [String: Any] ?? [:]
    }

    /// Ada registers and creates an organization, invites Bob by email; Bob registers, accepts,
    /// and both see him as a member; the invitation cannot be used again.
    @Test func createAnOrganizationInviteAColleagueWhoAccepts() async throws {
        let fleet = ProfileServices(tag: "pm")
        let unique = fleet.unique
        let auth = try fleet.auth()
        defer { auth.stop() }
        let users = try fleet.service("users", auth: auth)
        defer { users.stop() }
        for service in [auth, users] { try await service.waitUntilAnswering("/ready") }
        let gateway = try ServiceProcess(executable: "gateway", environment: [
            "REDIS_URL": try TestRedis.url(), "LOG_LEVEL": "warning", "AUTH_SERVICE_URL": auth.baseURL, "USERS_SERVICE_URL": users.baseURL,
            "GATEWAY_REDIS_PREFIX": "e2e:\(unique):gateway:",
        ])
        defer { gateway.stop() }
        try await gateway.waitUntilAnswering("/ready")
        let base = gateway.baseURL + "/api/v1"
        let jsonHeader = [("Content-Type", "application/json")]

        func account(_ name: String) async throws -> (id: String, email: String, bearer: [(String, String)]) {
            let account = try await fleet.account(name, base: base)
            // The profile is made from auth's user.registered event.
            try await waitUntil("\(name)'s profile exists") { try await HTTPTestClient.send("GET", base + "/users/me", headers: account.bearer).status == 200 }
            return account
        }
        let ada = try await account("Ada")
        let me = json(try await HTTPTestClient.send("GET", base + "/users/me", headers: ada.bearer))
        #expect(me["display_name"] as? String == "Ada" && me["handle"] as? String == "ada-\(unique)", "\(me)")

        let organization = try await HTTPTestClient.send("POST", base + "/organizations", headers: ada.bearer + jsonHeader, body: #"{"slug": "acme-\#(unique)", "name": "Acme"}"#)
        #expect(organization.status == 201, "\(organization.body)")
        let invitation = try await HTTPTestClient.send(
            "POST", base + "/organizations/acme-\(unique)/invitations", headers: ada.bearer + jsonHeader, body: #"{"email": "bob-\#(unique)@example.com"}"#)
        #expect(invitation.status == 201, "\(invitation.body)")
        let token = try #require(json(invitation)["token"] as? String)

        let bob = try await account("Bob")
        let accepted = try await HTTPTestClient.send("POST", base + "/invitations/accept", headers: bob.bearer + jsonHeader, body: #"{"token": "\#(token)"}"#)
        #expect(accepted.status == 200 && json(accepted)["role"] as? String == "member", "\(accepted.body)")
        let members = json(try await HTTPTestClient.send("GET", base + "/organizations/acme-\(unique)/members", headers: ada.bearer))["data"] as? [[String: Any]] ?? []
        #expect(members.compactMap { $0["user_id"] as? String } == [ada.id, bob.id])
        let again = try await HTTPTestClient.send("POST", base + "/invitations/accept", headers: bob.bearer + jsonHeader, body: #"{"token": "\#(token)"}"#)
        #expect(again.status == 410, "\(again.body)")
        let resolved = json(try await HTTPTestClient.send("GET", base + "/users/resolve?handles=bob-\(unique),nobody", headers: ada.bearer))
        #expect((resolved["data"] as? [[String: Any]])?.first?["user_id"] as? String == bob.id && resolved["unknown"] as? [String] == ["nobody"])
    }
}

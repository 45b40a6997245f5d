@testable import Auth
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@Suite("auth: register, login, refresh, logout, sessions")
struct SessionFlowTests {
    @Test func registerLoginRefreshLogout() async throws {
        let harness = try AuthHarness.make()
        try await harness.run { api in
            let email = AuthAPI.uniqueEmail()
            let registered = try await api.register("  \(email.uppercased()) ")
            #expect(registered.status == .created)
            #expect(registered["email"] == email, "email is normalised")
            #expect(registered.json["roles"] as? [String] == ["member"])
            #expect(registered.json["password_hash"] == nil && !registered.body.contains("scrypt"))

            let login = try await api.login(email)
            #expect(login.status == .ok)
            #expect(login["token_type"] == "Bearer")
            #expect(login.json["expires_in"] as? Int == 900)
            let access = try #require(login["access_token"])
            let refresh = try #require(login["refresh_token"])

            let me = try await api.send(.get, "/v1/me", token: access)
            #expect(me.status == .ok)
            #expect(me["email"] == email)

            let refreshed = try await api.send(.post, "/v1/refresh", json: ["refresh_token": refresh])
            #expect(refreshed.status == .ok)
            let newAccess = try #require(refreshed["access_token"])
            let newRefresh = try #require(refreshed["refresh_token"])
            #expect(newRefresh != refresh, "refresh tokens rotate")
            #expect(try await api.send(.get, "/v1/me", token: newAccess).status == .ok)

            let logout = try await api.send(.post, "/v1/logout", token: newAccess)
            #expect(logout.status == .noContent)
            let afterLogout = try await api.send(.get, "/v1/me", token: newAccess)
            #expect(afterLogout.status == .unauthorized, "the logged-out access token is denylisted")
            #expect(afterLogout.error == "unauthorized")
            #expect(afterLogout.headers[.wwwAuthenticate]?.contains("invalid_token") == true)
            let refreshAfterLogout = try await api.send(.post, "/v1/refresh", json: ["refresh_token": newRefresh])
            #expect(refreshAfterLogout.status == .unauthorized, "logout revokes the refresh family")
            #expect(refreshAfterLogout.error == "invalid_grant")
        }
        // No password, hash or token ever reaches the logs.
        #expect(!harness.logText.contains(AuthAPI.password))
        #expect(!harness.logText.contains("$scrypt$"))
        #expect(!harness.logText.contains("eyJ"), "no JWT in the logs")
    }

    @Test func reusingARefreshTokenRevokesItsWholeFamily() async throws {
        try await AuthHarness.make().run { api in
            let session = try await api.registeredSession()
            let first = try await api.send(.post, "/v1/refresh", json: ["refresh_token": session.refresh])
            let second = try #require(first["refresh_token"])

            let replay = try await api.send(.post, "/v1/refresh", json: ["refresh_token": session.refresh])
            #expect(replay.status == .unauthorized)
            #expect(replay.error == "refresh_token_reused")

            // The legitimate successor dies with its family.
            let successor = try await api.send(.post, "/v1/refresh", json: ["refresh_token": second])
            #expect(successor.status == .unauthorized)
            #expect(successor.error == "invalid_grant")
            // So do the access tokens issued to it.
            #expect(try await api.send(.get, "/v1/sessions", token: session.access).status == .unauthorized)
        }
    }

    @Test func refreshFailureModes() async throws {
        try await AuthHarness.make().run { api in
            let unknown = try await api.send(.post, "/v1/refresh", json: ["refresh_token": "not-a-token"])
            #expect(unknown.status == .unauthorized)
            #expect(unknown.error == "invalid_grant")
            let missing = try await api.send(.post, "/v1/refresh", json: [:])
            #expect(missing.status == .badRequest)
            #expect(missing.body.contains("refresh_token"))
            let notJSON = try await api.send(.post, "/v1/refresh", headers: [.contentType: "text/plain"], body: "x")
            #expect(notJSON.status == .unsupportedMediaType)
        }
    }

    @Test func sessionsAreListedAndRevokedByTheirOwnerOnly() async throws {
        try await AuthHarness.make().run { api in
            let alice = try await api.registeredSession()
            let second = try await api.login(alice.email)
            let secondRefresh = try #require(second["refresh_token"])

            let list = try await api.send(.get, "/v1/sessions", token: alice.access)
            let sessions = try #require(list.json["sessions"] as? [[String: Any]])
            #expect(sessions.count == 2)
            #expect(sessions.filter { $0["current"] as? Bool == true }.count == 1)
            let other = try #require(sessions.first { $0["current"] as? Bool == false }?["id"] as? String)

            let bob = try await api.registeredSession()
            let foreign = try await api.send(.delete, "/v1/sessions/\(other)", token: bob.access)
            #expect(foreign.status == .notFound, "another user's session is not found, not revoked")
            #expect(try await api.send(.delete, "/v1/sessions/not-a-uuid", token: alice.access).status == .notFound)

            #expect(try await api.send(.delete, "/v1/sessions/\(other)", token: alice.access).status == .noContent)
            let revoked = try await api.send(.post, "/v1/refresh", json: ["refresh_token": secondRefresh])
            #expect(revoked.status == .unauthorized)
            #expect(try await api.send(.delete, "/v1/sessions/\(other)", token: alice.access).status == .notFound)
        }
    }

    @Test func authenticatedRoutesRejectMissingAndMalformedCredentials() async throws {
        try await AuthHarness.make().run { api in
            for path in ["/v1/me", "/v1/sessions", "/v1/api-keys"] {
                let missing = try await api.send(.get, path)
                #expect(missing.status == .unauthorized, "\(path)")
                #expect(missing.headers[.wwwAuthenticate] == #"Bearer realm="flotilla""#)
                let basic = try await api.send(.get, path, headers: [.authorization: "Basic YTpi"])
                #expect(basic.status == .unauthorized)
                let garbage = try await api.send(.get, path, token: "garbage")
                #expect(garbage.status == .unauthorized)
                #expect(garbage.error == "unauthorized")
            }
            #expect(try await api.send(.post, "/v1/logout").status == .unauthorized)
        }
    }
}

@testable import Auth
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

/// Revoking a session revokes the access tokens already issued to it, at once, without a
/// call to auth per request: every verifier checks the session's denylist entry with the jti.
@Suite("auth: a revoked session's access tokens stop working")
struct SessionRevocationTests {
    @Test func refreshTokenReuseRevokesEveryAccessTokenOfTheSession() async throws {
        try await AuthHarness.make().run { api in
            let session = try await api.registeredSession()
            let other = try #require(try await api.login(session.email)["access_token"])
            let first = try await api.send(.post, "/v1/refresh", json: ["refresh_token": session.refresh])
            let rotatedAccess = try #require(first["access_token"])
            #expect(try await api.send(.get, "/v1/me", token: rotatedAccess).status == .ok)

            let replay = try await api.send(.post, "/v1/refresh", json: ["refresh_token": session.refresh])
            #expect(replay.error == "refresh_token_reused")
            for token in [session.access, rotatedAccess] {
                let me = try await api.send(.get, "/v1/me", token: token)
                #expect(me.status == .unauthorized)
                #expect(me.headers[.wwwAuthenticate]?.contains("invalid_token") == true)
            }
            #expect(try await api.send(.get, "/v1/me", token: other).status == .ok, "the user's other session is untouched")
        }
    }

    @Test func logoutEndsEveryAccessTokenOfTheSessionNotOnlyTheOneUsed() async throws {
        try await AuthHarness.make().run { api in
            let session = try await api.registeredSession()
            let refreshed = try #require(try await api.send(.post, "/v1/refresh", json: ["refresh_token": session.refresh])["access_token"])
            #expect(try await api.send(.post, "/v1/logout", token: refreshed).status == .noContent)
            #expect(try await api.send(.get, "/v1/me", token: session.access).status == .unauthorized)
        }
    }

    @Test func aPasswordChangeRevokesTheOtherSessionsTokensAndKeepsThisOne() async throws {
        try await AuthHarness.make().run { api in
            let session = try await api.registeredSession()
            let elsewhere = try #require(try await api.login(session.email)["access_token"])
            let change = try await api.send(
                .post, "/v1/password", json: ["current_password": AuthAPI.password, "new_password": "a new and Long passphrase 42"], token: session.access)
            #expect(change.status == .noContent)
            #expect(try await api.send(.get, "/v1/me", token: elsewhere).status == .unauthorized)
            #expect(try await api.send(.get, "/v1/me", token: session.access).status == .ok)
        }
    }

    @Test func revokingASessionFromTheListEndsItsAccessTokens() async throws {
        try await AuthHarness.make().run { api in
            let session = try await api.registeredSession()
            let elsewhere = try #require(try await api.login(session.email)["access_token"])
            let list = try await api.send(.get, "/v1/sessions", token: session.access)
            let sessions = try #require(list.json["sessions"] as? [[String: Any]])
            let other = try #require(sessions.first { $0["current"] as? Bool == false }?["id"] as? String)
            #expect(try await api.send(.delete, "/v1/sessions/\(other)", token: session.access).status == .noContent)
            #expect(try await api.send(.get, "/v1/me", token: elsewhere).status == .unauthorized)
            #expect(try await api.send(.get, "/v1/me", token: session.access).status == .ok)
        }
    }
}

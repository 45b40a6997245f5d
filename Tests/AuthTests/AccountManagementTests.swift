@testable import Auth
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@Suite("auth: passwords and roles")
struct AccountManagementTests {
    @Test func changingThePasswordRevokesOtherSessions() async throws {
        try await AuthHarness.make().run { api in
            let session = try await api.registeredSession()
            let other = try await api.login(session.email)
            let otherRefresh = try #require(other["refresh_token"])
            let newPassword = "a brand new passphrase"

            let wrong = try await api.send(.post, "/v1/password", json: ["current_password": "nope nope nope", "new_password": newPassword], token: session.access)
            #expect(wrong.status == .badRequest)
            #expect((wrong.json["details"] as? [String: Any])?["field"] as? String == "current_password")
            let weak = try await api.send(.post, "/v1/password", json: ["current_password": AuthAPI.password, "new_password": "password1"], token: session.access)
            #expect(weak.status == .badRequest)
            #expect((weak.json["details"] as? [String: Any])?["field"] as? String == "new_password")

            let changed = try await api.send(.post, "/v1/password", json: ["current_password": AuthAPI.password, "new_password": newPassword], token: session.access)
            #expect(changed.status == .noContent)
            #expect(try await api.send(.post, "/v1/refresh", json: ["refresh_token": otherRefresh]).status == .unauthorized)
            #expect(try await api.send(.post, "/v1/refresh", json: ["refresh_token": session.refresh]).status == .ok, "the current session stays")
            #expect(try await api.login(session.email).status == .unauthorized)
            #expect(try await api.login(session.email, password: newPassword).status == .ok)
        }
    }

    @Test func forgottenPasswordResetIsSingleUseAndRevokesSessions() async throws {
        let harness = try AuthHarness.make(environment: ["AUTH_DEV_MODE": "true"])
        try await harness.run { api in
            let session = try await api.registeredSession()
            let unknown = try await api.send(.post, "/v1/password/forgot", json: ["email": AuthAPI.uniqueEmail()])
            let known = try await api.send(.post, "/v1/password/forgot", json: ["email": session.email])
            #expect(known.status == .accepted)
            #expect(unknown.status == known.status && unknown["message"] == known["message"], "no enumeration")

            let records = try harness.logs.records(withMessage: "password reset requested; dev mode shows the code here instead of emailing it")
            #expect(records.count == 1)
            guard case .object(let record)? = records.first, case .string(let token)? = record["dev_reset_code"] else {
                Issue.record("the dev-mode log line carries the code")
                return
            }
            let weak = try await api.send(.post, "/v1/password/reset", json: ["token": token, "new_password": "12345678"])
            #expect(weak.status == .badRequest)
            let newPassword = "reset to something new"
            let reset = try await api.send(.post, "/v1/password/reset", json: ["token": token, "new_password": newPassword])
            #expect(reset.status == .noContent, "a refused password leaves the token usable: \(reset.body)")
            let again = try await api.send(.post, "/v1/password/reset", json: ["token": token, "new_password": "yet another passphrase"])
            #expect(again.status == .badRequest)
            #expect(again.error == "invalid_reset_token")
            #expect(try await api.send(.post, "/v1/refresh", json: ["refresh_token": session.refresh]).status == .unauthorized)
            #expect(try await api.login(session.email, password: newPassword).status == .ok)
        }
    }

    @Test func resetCodesStayOutOfLogsOutsideDevMode() async throws {
        let harness = try AuthHarness.make()
        try await harness.run { api in
            let session = try await api.registeredSession()
            #expect(try await api.send(.post, "/v1/password/forgot", json: ["email": session.email]).status == .accepted)
        }
        #expect(!harness.logText.contains("dev_reset_code"))
    }

    @Test func roleChangesAreAdminOnlyAndShowInNewTokens() async throws {
        try await AuthHarness.make().run { api in
            let admin = try await api.registeredSession("admin@example.com")
            let member = try await api.registeredSession()
            let memberID = try #require(try await api.send(.get, "/v1/me", token: member.access)["id"])

            let denied = try await api.send(.put, "/v1/users/\(memberID)/roles", json: ["roles": ["admin"]], token: member.access)
            #expect(denied.status == .forbidden)
            #expect(denied.error == "forbidden")

            let invalid = try await api.send(.put, "/v1/users/\(memberID)/roles", json: ["roles": ["owner"]], token: admin.access)
            #expect(invalid.status == .badRequest)
            #expect(try await api.send(.put, "/v1/users/\(memberID)/roles", json: ["roles": [String]()], token: admin.access).status == .badRequest)
            let missing = try await api.send(.put, "/v1/users/\(UUID().uuidString)/roles", json: ["roles": ["guest"]], token: admin.access)
            #expect(missing.status == .notFound)
            let adminID = try #require(try await api.send(.get, "/v1/me", token: admin.access)["id"])
            #expect(try await api.send(.put, "/v1/users/\(adminID)/roles", json: ["roles": ["member"]], token: admin.access).status == .conflict)

            let changed = try await api.send(.put, "/v1/users/\(memberID)/roles", json: ["roles": ["manager", "member", "manager"]], token: admin.access)
            #expect(changed.status == .ok)
            #expect(changed.json["roles"] as? [String] == ["manager", "member"])

            // The old access token still says member; the next one carries the new roles.
            let refreshed = try await api.send(.post, "/v1/refresh", json: ["refresh_token": member.refresh])
            let claims = try TestTokens.claims(of: try #require(refreshed["access_token"]))
            #expect(claims["roles"] as? [String] == ["manager", "member"])
            #expect(try TestTokens.claims(of: member.access)["roles"] as? [String] == ["member"])
        }
    }
}

@testable import Auth
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@Suite("auth: API keys, client credentials, dev tokens")
struct MachineCredentialTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test func apiKeysAreShownOnceListedByPrefixAndExchangedForTokens() async throws {
        try await AuthHarness.make().run { api in
            let session = try await api.registeredSession()
            let created = try await api.send(.post, "/v1/api-keys", json: ["name": "ci runner", "scopes": ["habits:read", "habits:read"]], token: session.access)
            #expect(created.status == .created)
            let key = try #require(created["key"])
            let prefix = try #require(created["prefix"])
            #expect(key.hasPrefix("flt_\(prefix)_"))
            #expect(created.json["scopes"] as? [String] == ["habits:read"])

            let list = try await api.send(.get, "/v1/api-keys", token: session.access)
            #expect(list.status == .ok)
            #expect(!list.body.contains(key), "the key is never shown again")
            #expect(list.body.contains(prefix))

            let exchanged = try await api.send(.post, "/oauth/token", headers: Self.form, body: "grant_type=urn%3Aflotilla%3Agrant-type%3Aapi-key&api_key=\(key)")
            #expect(exchanged.status == .ok, "\(exchanged.body)")
            #expect(exchanged.headers[.cacheControl] == "no-store")
            #expect(exchanged["refresh_token"] == nil)
            let token = try #require(exchanged["access_token"])
            let claims = try TestTokens.claims(of: token)
            #expect(claims["kind"] as? String == "api_key")
            #expect(claims["scope"] as? String == "habits:read")
            #expect(try await api.send(.get, "/v1/me", token: token).status == .ok)
            let escalation = try await api.send(.post, "/v1/api-keys", json: ["name": "more"], token: token)
            #expect(escalation.status == .forbidden, "an API-key token cannot mint keys")

            let id = try #require(created["id"])
            #expect(try await api.send(.delete, "/v1/api-keys/\(id)", token: session.access).status == .noContent)
            #expect(try await api.send(.delete, "/v1/api-keys/\(id)", token: session.access).status == .notFound)
            let revoked = try await api.send(.post, "/oauth/token", json: ["grant_type": OAuthController.apiKeyGrant, "api_key": key])
            #expect(revoked.status == .unauthorized)
            #expect(revoked.error == "invalid_grant")
        }
    }

    @Test func apiKeyFailureModes() async throws {
        try await AuthHarness.make().run { api in
            let session = try await api.registeredSession()
            #expect(try await api.send(.post, "/v1/api-keys", json: ["name": ""], token: session.access).status == .badRequest)
            let badScope = try await api.send(.post, "/v1/api-keys", json: ["name": "x", "scopes": ["Bad Scope"]], token: session.access)
            #expect(badScope.status == .badRequest)
            #expect(try await api.send(.post, "/v1/api-keys", json: ["name": "x"]).status == .unauthorized)
            let other = try await api.registeredSession()
            let created = try await api.send(.post, "/v1/api-keys", json: ["name": "mine"], token: session.access)
            let id = try #require(created["id"])
            #expect(try await api.send(.delete, "/v1/api-keys/\(id)", token: other.access).status == .notFound, "only the owner revokes")
        }
    }

    @Test func clientCredentialsGrantIssuesScopedServiceTokens() async throws {
        try await AuthHarness.make().run { api in
            let admin = try await api.registeredSession("admin@example.com")
            let member = try await api.registeredSession()
            let body: [String: any Sendable] = ["client_id": "orders", "scopes": ["catalog:inventory", "customers:write"]]
            #expect(try await api.send(.post, "/v1/clients", json: body, token: member.access).status == .forbidden)
            let created = try await api.send(.post, "/v1/clients", json: body, token: admin.access)
            #expect(created.status == .created)
            let secret = try #require(created["client_secret"])
            #expect(try await api.send(.post, "/v1/clients", json: body, token: admin.access).error == "client_exists")
            #expect(try await api.send(.post, "/v1/clients", json: ["client_id": "Bad Id", "scopes": [String]()], token: admin.access).status == .badRequest)

            let basic = "Basic " + Data("orders:\(secret)".utf8).base64EncodedString()
            var headers = Self.form
            headers[.authorization] = basic
            let token = try await api.send(.post, "/oauth/token", headers: headers, body: "grant_type=client_credentials&scope=catalog%3Ainventory")
            #expect(token.status == .ok, "\(token.body)")
            #expect(token["scope"] == "catalog:inventory")
            let claims = try TestTokens.claims(of: try #require(token["access_token"]))
            #expect(claims["sub"] as? String == "client:orders")
            #expect(claims["kind"] as? String == "service")
            #expect((claims["roles"] as? [String])?.isEmpty == true)

            let all = try await api.send(.post, "/oauth/token", headers: Self.form, body: "grant_type=client_credentials&client_id=orders&client_secret=\(secret)")
            #expect(all["scope"] == "catalog:inventory customers:write", "no scope asked: all the client's scopes")

            let tooMuch = try await api.send(.post, "/oauth/token", headers: headers, body: "grant_type=client_credentials&scope=admin")
            #expect(tooMuch.status == .badRequest)
            #expect(tooMuch.error == "invalid_scope")
            let wrong = try await api.send(.post, "/oauth/token", headers: Self.form, body: "grant_type=client_credentials&client_id=orders&client_secret=wrong")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.error == "invalid_client")
            #expect(wrong.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)

            // A service token is not a user: it cannot use user routes.
            let serviceToken = try #require(token["access_token"])
            #expect(try await api.send(.get, "/v1/me", token: serviceToken).status == .forbidden)

            #expect(try await api.send(.delete, "/v1/clients/orders", token: admin.access).status == .noContent)
            let revoked = try await api.send(.post, "/oauth/token", headers: headers, body: "grant_type=client_credentials")
            #expect(revoked.status == .unauthorized)
        }
    }

    @Test func tokenEndpointFailureModes() async throws {
        try await AuthHarness.make().run { api in
            let noGrant = try await api.send(.post, "/oauth/token", headers: Self.form, body: "scope=x")
            #expect(noGrant.status == .badRequest)
            #expect(noGrant.error == "invalid_request")
            let unsupported = try await api.send(.post, "/oauth/token", headers: Self.form, body: "grant_type=password&username=a&password=b")
            #expect(unsupported.error == "unsupported_grant_type")
            let text = try await api.send(.post, "/oauth/token", headers: [.contentType: "text/plain"], body: "grant_type=client_credentials")
            #expect(text.status == .unsupportedMediaType)
            let noSecret = try await api.send(.post, "/oauth/token", headers: Self.form, body: "grant_type=client_credentials&client_id=x")
            #expect(noSecret.error == "invalid_request")
            let refresh = try await api.send(.post, "/oauth/token", headers: Self.form, body: "grant_type=refresh_token&refresh_token=nope")
            #expect(refresh.error == "invalid_grant")
            let badBasic = try await api.send(.post, "/oauth/token", headers: [.contentType: "application/x-www-form-urlencoded", .authorization: "Basic !!!"], body: "grant_type=client_credentials")
            #expect(badBasic.error == "invalid_client")
        }
    }

    @Test func devTokenEndpointIsOffUnlessEnabled() async throws {
        let body: [String: any Sendable] = ["userId": "user_123", "email": "shopper@example.com"]
        try await AuthHarness.make().run { api in
            let disabled = try await api.send(.post, "/auth/token", json: body)
            #expect(disabled.status == .notFound)
        }
        try await AuthHarness.make(environment: ["AUTH_DEV_TOKENS": "true"]).run { api in
            let reply = try await api.send(.post, "/auth/token", json: body)
            #expect(reply.status == .ok)
            #expect(reply.json["expiresIn"] as? Int == 900)
            let claims = try TestTokens.claims(of: try #require(reply["token"]))
            #expect(claims["sub"] as? String == "user_123")
            #expect(claims["roles"] as? [String] == ["manager"], "the seed's quick test needs a manager by default")
            let member = try await api.send(.post, "/auth/token", json: ["userId": "u2", "email": "m@example.com", "roles": ["member"]])
            #expect(try TestTokens.claims(of: try #require(member["token"]))["roles"] as? [String] == ["member"])
            #expect(try await api.send(.post, "/auth/token", json: ["userId": "u3", "email": "m@example.com", "roles": ["owner"]]).status == .badRequest)
            #expect(try await api.send(.post, "/auth/token", json: ["userId": "u"]).status == .badRequest)
            #expect(try await api.send(.post, "/auth/token", json: ["userId": "u", "email": "nope"]).status == .badRequest)
        }
    }
}

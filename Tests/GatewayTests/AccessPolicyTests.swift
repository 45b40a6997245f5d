@testable import Gateway
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("gateway: authentication and authorization")
struct AccessPolicyTests {
    @Test func requiredRoutesRejectBeforeTheUpstreamIsCalled() async throws {
        try await GatewayHarness.run { client, upstream, issuer in
            let missing = try await client.send(.get, "/api/v1/items/1")
            #expect(missing.status == .unauthorized)
            #expect(missing.headers[.wwwAuthenticate] == #"Bearer realm="flotilla""#)
            #expect(missing.body.contains(#""error":"unauthorized""#))
            #expect(missing.headers[.rateLimitLimit] == "100", "rate-limit headers on errors too")
            let forged = try await client.send(.get, "/api/v1/items/1", headers: [.authorization: "Bearer not.a.token"])
            #expect(forged.status == .unauthorized)
            let expired = try await issuer.token(subject: "u", issuedAt: Date().addingTimeInterval(-3600), lifetime: .seconds(60))
            #expect(try await client.send(.get, "/api/v1/items/1", headers: [.authorization: "Bearer \(expired)"]).status == .unauthorized)
            #expect(upstream.requests.isEmpty, "no rejected request reached the upstream")

            let token = try await issuer.token(subject: "u")
            #expect(try await client.send(.get, "/api/v1/items/1", headers: [.authorization: "Bearer \(token)"]).status == .ok)
            #expect(upstream.requests.count == 1)
        }
    }

    @Test func aDenylistedTokenIsRejectedAtTheGateway() async throws {
        try await GatewayHarness.run { client, upstream, issuer in
            let token = try await issuer.token(subject: "logged-out")
            let payload = try #require(Base64URL.decode(token.split(separator: ".")[1]))
            let claims = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
            let jti = try #require(claims["jti"] as? String)
            let redis = try TestRedis.makeClient()
            try await TokenDenylist(client: redis).deny(tokenID: jti, until: Date().addingTimeInterval(60))
            await redis.close()
            let reply = try await client.send(.get, "/api/v1/items/1", headers: [.authorization: "Bearer \(token)"])
            #expect(reply.status == .unauthorized)
            #expect(reply.body.contains("revoked"))
            #expect(upstream.requests.isEmpty)
        }
    }

    @Test func aRevokedSessionsTokensAreRejectedAtTheGateway() async throws {
        try await GatewayHarness.run { client, upstream, issuer in
            let session = UUID().uuidString.lowercased()
            let token = try await issuer.token(subject: "u", sessionID: session)
            let other = try await issuer.token(subject: "u", sessionID: UUID().uuidString.lowercased())
            #expect(try await client.send(.get, "/api/v1/items/1", headers: [.authorization: "Bearer \(token)"]).status == .ok)
            let redis = try TestRedis.makeClient()
            try await TokenDenylist(client: redis).deny(sessionID: session, for: .seconds(60))
            await redis.close()
            // A lease granted before the revocation lives at most its second (GATEWAY_RATE_LIMIT_LEASE_MS).
            try await waitUntil("the revoked session's token is refused") {
                try await client.send(.get, "/api/v1/items/1", headers: [.authorization: "Bearer \(token)"]).status == .unauthorized
            }
            let reply = try await client.send(.get, "/api/v1/items/1", headers: [.authorization: "Bearer \(token)"])
            #expect(reply.body.contains("revoked"))
            #expect(try await client.send(.get, "/api/v1/items/1", headers: [.authorization: "Bearer \(other)"]).status == .ok)
        }
    }

    @Test func publicAndOptionalRoutes() async throws {
        try await GatewayHarness.run { client, upstream, issuer in
            #expect(try await client.send(.get, "/api/v1/open").status == .ok)
            #expect(try await client.send(.get, "/api/v1/open", headers: [.authorization: "Bearer junk"]).status == .ok, "public routes do not verify")
            #expect(try await client.send(.get, "/api/v1/maybe").status == .ok)
            let token = try await issuer.token(subject: "u")
            #expect(try await client.send(.get, "/api/v1/maybe", headers: [.authorization: "Bearer \(token)"]).status == .ok)
            let bad = try await client.send(.get, "/api/v1/maybe", headers: [.authorization: "Bearer junk"])
            #expect(bad.status == .unauthorized, "an optional route still refuses a bad token")
            #expect(upstream.requests.count == 4)
        }
    }

    @Test func rolesAndScopesAreEnforced() async throws {
        try await GatewayHarness.run { client, upstream, issuer in
            let member = try await issuer.token(subject: "m", roles: [.member])
            let admin = try await issuer.token(subject: "a", roles: [.admin])
            let denied = try await client.send(.get, "/api/v1/admin", headers: [.authorization: "Bearer \(member)"])
            #expect(denied.status == .forbidden)
            #expect(denied.body.contains(#""error":"forbidden""#))
            #expect(try await client.send(.get, "/api/v1/admin", headers: [.authorization: "Bearer \(admin)"]).status == .ok)

            let unscoped = try await issuer.token(subject: "client:x", roles: [], kind: .service)
            let scoped = try await issuer.token(subject: "client:x", roles: [], scopes: ["things:write"], kind: .service)
            #expect(try await client.send(.post, "/api/v1/scoped", headers: [.authorization: "Bearer \(unscoped)"], body: "{}").status == .forbidden)
            #expect(try await client.send(.post, "/api/v1/scoped", headers: [.authorization: "Bearer \(scoped)"], body: "{}").status == .ok)
            #expect(upstream.requests.count == 2)
        }
    }
}

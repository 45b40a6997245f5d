@testable import Auth
import Crypto
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import Testing

/// The kit's auth middleware under attack: every forged, stale or mangled token is a 401.
@Suite("kit auth middleware: token attacks")
struct TokenAttackTests {
    static let rsaKey = try! TestKeys.rsa(kid: "attack-rs")
    static let ecKey = try! SigningKey.generate(kid: "attack-ec", algorithm: .es256)
    static let strangerKey = try! TestKeys.otherRSA(kid: "attack-rs")

    func issuer(_ key: SigningKey, issuer: String = "flotilla-auth", audience: String = "flotilla") async throws -> TokenIssuer {
        TokenIssuer(ring: try await SigningKeyRing(keys: [key], activeKeyID: nil), issuer: issuer, audience: audience, lifetime: .seconds(900))
    }

    /// An app whose `/whoami` needs a token verified against the RSA and EC keys.
    func app(denylist: TokenDenylist? = nil) async -> KitTestApplication {
        let keys = await StaticKeySource(JSONWebKeySet(keys: [Self.rsaKey.publicJWK, Self.ecKey.publicJWK]))
        let verifier = TokenVerifier(keys: keys, policy: TokenVerificationPolicy(issuer: "flotilla-auth", audience: "flotilla"), denylist: denylist)
        return KitTestApplication(routes: { router in
            let protected = router.group().add(middleware: AuthenticationMiddleware(verifier: verifier))
            protected.get("/whoami") { _, context -> String in
                let principal = try context.requirePrincipal()
                return "\(principal.subject) \(principal.roles.map(\.rawValue).sorted())"
            }
            protected.get("/admin") { _, context -> String in
                try context.requirePrincipal(anyOf: [.admin])
                return "ok"
            }
            protected.get("/owned/{owner}") { _, context -> String in
                try context.requireOwnerOrAdmin(context.parameters.get("owner") ?? "")
                return "ok"
            }
            let scoped = protected.group().add(middleware: RequireScopeMiddleware("catalog:write"))
            scoped.get("/scoped") { _, _ in "ok" }
        })
    }

    struct Outcome {
        let status: HTTPResponse.Status
        let body: String
    }

    func call(_ client: some TestClientProtocol, _ token: String, path: String = "/whoami") async throws -> Outcome {
        try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
            Outcome(status: response.status, body: String(buffer: response.body))
        }
    }

    @Test func validTokensFromEitherAlgorithmPassAndGuardsApply() async throws {
        let rsToken = try await issuer(Self.rsaKey).issue(subject: "u1", kind: .user, roles: ["member"]).token
        let esToken = try await issuer(Self.ecKey).issue(subject: "u2", kind: .user, roles: ["admin", "bogus"]).token
        let scoped = try await issuer(Self.rsaKey).issue(subject: "client:orders", kind: .service, roles: [], scopes: ["catalog:write"]).token
        try await app().application.test(.router) { client async throws in
            let member = try await call(client, rsToken)
            #expect(member.status == .ok && member.body == #"u1 ["member"]"#)
            let admin = try await call(client, esToken)
            #expect(admin.status == .ok && admin.body == #"u2 ["admin"]"#, "unknown role names are ignored")
            #expect(try await call(client, rsToken, path: "/admin").status == .forbidden)
            #expect(try await call(client, esToken, path: "/admin").status == .ok)
            #expect(try await call(client, rsToken, path: "/owned/u1").status == .ok)
            #expect(try await call(client, rsToken, path: "/owned/u9").status == .forbidden)
            #expect(try await call(client, esToken, path: "/owned/u9").status == .ok, "admins pass ownership checks")
            #expect(try await call(client, rsToken, path: "/scoped").status == .forbidden)
            #expect(try await call(client, scoped, path: "/scoped").status == .ok)
        }
    }

    @Test func forgedAndStaleTokensAreRejected() async throws {
        let valid = try await issuer(Self.rsaKey).issue(subject: "u1", kind: .user, roles: ["member"])
        let claims = try TestTokens.claims(of: valid.token)
        let header = try TestTokens.header(of: valid.token)

        // alg none, with and without a signature part.
        let unsigned = try TestTokens.signingInput(header: ["alg": "none", "kid": "attack-rs", "typ": "JWT"], claims: claims)
        // HS256 "signed" with the RSA public key as the HMAC secret (algorithm confusion).
        let confusedHeader = ["alg": "HS256", "kid": "attack-rs", "typ": "JWT"]
        let confusedInput = try TestTokens.signingInput(header: confusedHeader, claims: claims)
        let publicKeyText = try Insecure.RSA.PrivateKey(pem: Self.rsaKey.pem).publicKey.pemRepresentation
        let mac = HMAC<SHA256>.authenticationCode(for: Array(confusedInput.utf8), using: SymmetricKey(data: Array(publicKeyText.utf8)))
        // An RS256 token whose header names the EC key.
        var mismatched = header
        mismatched["kid"] = "attack-ec"
        let mismatchedToken = try TestTokens.signingInput(header: mismatched, claims: claims) + "." + valid.token.split(separator: ".")[2]
        // Payload tampered to claim admin, signature kept; signature tampered.
        var elevated = claims
        elevated["roles"] = ["admin"]
        let parts = valid.token.split(separator: ".").map(String.init)
        let flipped = parts[2].first == "A" ? "B" + parts[2].dropFirst() : "A" + parts[2].dropFirst()

        var attacks = [(name: String, reason: String, token: String)]()  // built step by step: one literal is too much for the type checker
        attacks.append(("alg none", "not a well-formed JWT", unsigned + "."))
        attacks.append(("alg none with signature", "algorithm 'none'", unsigned + ".c2ln"))
        attacks.append(("HS256 with the public key", "algorithm 'HS256'", confusedInput + "." + Base64URL.encode(Array(mac))))
        attacks.append(("key/algorithm mismatch", "algorithm 'RS256'", mismatchedToken))
        attacks.append(("expired", "has expired", try await issuer(Self.rsaKey).issue(subject: "u1", kind: .user, roles: [], now: Date().addingTimeInterval(-3600)).token))
        attacks.append(("not yet valid", "not valid yet", try await issuer(Self.rsaKey).issue(subject: "u1", kind: .user, roles: [], now: Date().addingTimeInterval(3600)).token))
        attacks.append(("wrong issuer", "issued by someone else", try await issuer(Self.rsaKey, issuer: "evil").issue(subject: "u1", kind: .user, roles: []).token))
        attacks.append(("wrong audience", "another audience", try await issuer(Self.rsaKey, audience: "other-app").issue(subject: "u1", kind: .user, roles: []).token))
        attacks.append(("unknown kid", "unknown key", try await issuer(try SigningKey.generate(kid: "nobody", algorithm: .es256)).issue(subject: "u1", kind: .user, roles: []).token))
        attacks.append(("known kid, other key", "signature is invalid", try await issuer(Self.strangerKey).issue(subject: "u1", kind: .user, roles: []).token))
        attacks.append(("tampered payload", "signature is invalid", try TestTokens.replacingClaims(of: valid.token, with: elevated)))
        attacks.append(("tampered signature", "signature is invalid", parts[0] + "." + parts[1] + "." + flipped))
        attacks.append(("truncated signature", "signature is invalid", parts[0] + "." + parts[1] + "." + parts[2].dropLast(10)))
        attacks.append(("garbage", "not a well-formed JWT", "garbage"))
        attacks.append(("three dots", "not a well-formed JWT", "a.b.c"))
        attacks.append(("empty parts", "not a well-formed JWT", ".."))
        attacks.append(("not base64", "not a well-formed JWT", "%%%.%%%.%%%"))
        attacks.append(("huge", "not a well-formed JWT", String(repeating: "a", count: 9000) + ".b.c"))
        let cases = attacks
        try await app().application.test(.router) { client async throws in
            for (name, reason, token) in cases {
                let outcome = try await call(client, token)
                #expect(outcome.status == .unauthorized, "\(name): \(outcome.body)")
                #expect(outcome.body.contains(#""error":"unauthorized""#), "\(name)")
                #expect(outcome.body.contains(reason), "\(name) is rejected because of \(reason): \(outcome.body)")
            }
            #expect(try await call(client, valid.token).status == .ok, "the untouched token still passes")
        }
    }

    @Test func expiryHonoursTheLeeway() async throws {
        let slightlyExpired = try await issuer(Self.rsaKey).issue(subject: "u1", kind: .user, roles: [], now: Date().addingTimeInterval(-900 - 10)).token
        let wellExpired = try await issuer(Self.rsaKey).issue(subject: "u1", kind: .user, roles: [], now: Date().addingTimeInterval(-900 - 60)).token
        try await app().application.test(.router) { client async throws in
            #expect(try await call(client, slightlyExpired).status == .ok, "10 s past exp is inside the 30 s leeway")
            #expect(try await call(client, wellExpired).status == .unauthorized)
        }
    }

    @Test func aRevokedSessionRejectsEveryTokenIssuedToIt() async throws {
        let redis = try TestRedis.makeClient()
        defer { Task { await redis.close() } }
        let denylist = TokenDenylist(client: redis, prefix: TestRedis.uniqueKey("deny") + ":")
        let session = UUID(), otherSession = UUID()
        let first = try await issuer(Self.ecKey).issue(subject: "u1", kind: .user, roles: [], sessionID: session)
        let second = try await issuer(Self.ecKey).issue(subject: "u1", kind: .user, roles: [], sessionID: session)
        let elsewhere = try await issuer(Self.ecKey).issue(subject: "u1", kind: .user, roles: [], sessionID: otherSession)
        let app = await app(denylist: denylist)
        try await app.application.test(.router) { client async throws in
            // Verified (and cached) before the revocation...
            #expect(try await call(client, first.token).status == .ok)
            try await denylist.deny(sessionID: session.lowercasedString, for: .seconds(930))
            // ...and refused on the next use after it, as is every token of that session.
            for token in [first.token, second.token] {
                let revoked = try await call(client, token)
                #expect(revoked.status == .unauthorized)
                #expect(revoked.body.contains("revoked"))
            }
            #expect(try await call(client, elsewhere.token).status == .ok)
        }
    }

    @Test func denylistedTokensAreRejectedAndAnUnreachableDenylistFailsClosed() async throws {
        let redis = try TestRedis.makeClient()
        let denylist = TokenDenylist(client: redis, prefix: TestRedis.uniqueKey("deny") + ":")
        let issued = try await issuer(Self.rsaKey).issue(subject: "u1", kind: .user, roles: [])
        let other = try await issuer(Self.rsaKey).issue(subject: "u2", kind: .user, roles: [])
        try await denylist.deny(tokenID: issued.claims.tokenID.value, until: issued.claims.expiresAt.value)
        let app = await app(denylist: denylist)
        try await app.application.test(.router) { client async throws in
            let revoked = try await call(client, issued.token)
            #expect(revoked.status == .unauthorized)
            #expect(revoked.body.contains("revoked"))
            #expect(try await call(client, other.token).status == .ok)
        }
        await redis.close()

        let deadRedis = try TestRedis.makeClient(url: "redis://127.0.0.1:\(try FreePort.allocate())/0") { $0.timeout = .milliseconds(200) }
        let failClosed = await self.app(denylist: TokenDenylist(client: deadRedis))
        try await failClosed.application.test(.router) { client async throws in
            let unavailable = try await call(client, other.token)
            #expect(unavailable.status == .serviceUnavailable)
            #expect(unavailable.body.contains("auth_unavailable"))
        }
        await deadRedis.close()
    }
}

/// The verifier's cache of verified tokens: the expensive part once, the rest every time.
@Suite("kit auth: verified-token cache")
struct VerifiedTokenCacheTests {
    /// Counts key look-ups, to see which verifications skipped the signature work.
    final class CountingKeys: VerificationKeySource, @unchecked Sendable {
        let inner: StaticKeySource
        let lock = NSLock()
        var lookups = 0
        init(_ inner: StaticKeySource) { self.inner = inner }
        func key(for kid: String) async throws(TokenRejection) -> VerificationKey? {
            lock.withLock { lookups += 1 }
            return try await inner.key(for: kid)
        }
    }

    final class Clock: @unchecked Sendable {
        let lock = NSLock()
        var offset: TimeInterval = 0
        var now: Date { lock.withLock { Date().addingTimeInterval(offset) } }
    }

    @Test func aRepeatedTokenSkipsTheSignatureButNotTheTimeOrDenylistChecks() async throws {
        let key = try SigningKey.generate(kid: "cache", algorithm: .es256)
        let keys = CountingKeys(await StaticKeySource(JSONWebKeySet(keys: [key.publicJWK])))
        let clock = Clock()
        let redis = try TestRedis.makeClient()
        let denylist = TokenDenylist(client: redis, prefix: TestRedis.uniqueKey("deny") + ":")
        let verifier = TokenVerifier(
            keys: keys, policy: TokenVerificationPolicy(issuer: "flotilla-auth", audience: "flotilla"), denylist: denylist,
            now: { clock.now })
        let issuer = TokenIssuer(ring: try await SigningKeyRing(keys: [key], activeKeyID: nil), issuer: "flotilla-auth", audience: "flotilla", lifetime: .seconds(120))
        let issued = try await issuer.issue(subject: "u1", kind: .user, roles: ["member"])

        #expect(try await verifier.verify(issued.token).subject == "u1")
        #expect(try await verifier.verify(issued.token).subject == "u1")
        #expect(keys.lock.withLock { keys.lookups } == 1, "the second verification came from the cache")

        clock.lock.withLock { clock.offset = 300 }
        await #expect(throws: TokenRejection.expired) { try await verifier.verify(issued.token) }
        clock.lock.withLock { clock.offset = 0 }
        try await denylist.deny(tokenID: issued.claims.tokenID.value, until: issued.claims.expiresAt.value)
        await #expect(throws: TokenRejection.revoked) { try await verifier.verify(issued.token) }
        await redis.close()

        let tampered = try TestTokens.replacingClaims(of: issued.token, with: ["sub": "admin"])
        await #expect(throws: TokenRejection.self) { try await verifier.verify(tampered) }
    }
}

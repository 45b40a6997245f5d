import FlotillaKit
import Foundation
import Hummingbird
import JWTKit
import CryptoExtras

/// Signs access tokens the way the auth service does, with a throwaway ES256 (or RS256)
/// key, for testing and benchmarking services that verify tokens without running `auth`.
/// ``jwksServer()`` publishes the key; point the service's `AUTH_SERVICE_URL` at it.
public struct TestTokenIssuer: Sendable {
    public let kid: String
    public let issuer: String
    public let audience: String
    /// The public key, as the auth service publishes its own.
    public let jwks: JSONWebKeySet
    private let keys: JWTKeyCollection

    public init(kid: String = "test-es256", issuer: String = "flotilla-auth", audience: String = "flotilla", rsa: Bool = false) async throws {
        self.kid = kid
        self.issuer = issuer
        self.audience = audience
        if rsa {
            let key = try Insecure.RSA.PrivateKey(pem: _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation)
            self.jwks = JSONWebKeySet(keys: [try JSONWebKey(rs256: key.publicKey, kid: kid)])
            self.keys = await JWTKeyCollection().add(rsa: key, digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
        } else {
            let key = ES256PrivateKey()
            guard let jwk = JSONWebKey(es256: key.publicKey, kid: kid) else { throw JWTError.generic(identifier: "ecdsa", reason: "no public key parameters") }
            self.jwks = JSONWebKeySet(keys: [jwk])
            self.keys = await JWTKeyCollection().add(ecdsa: key, kid: JWKIdentifier(string: kid))
        }
    }

    /// A signed access token for `subject`.
    public func token(
        subject: String, roles: [Role] = [.member], scopes: [String] = [], kind: AccessTokenClaims.Kind = .user,
        sessionID: String? = nil, issuedAt: Date = Date(), lifetime: Duration = .seconds(900)
    ) async throws -> String {
        let claims = AccessTokenClaims(
            issuer: issuer, audience: audience, subject: subject, kind: kind, roles: roles.map(\.rawValue),
            scope: scopes.isEmpty ? nil : scopes.joined(separator: " "), sessionID: sessionID, tokenID: UUID().uuidString,
            issuedAt: issuedAt, lifetime: lifetime)
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
    }

    /// An app serving ``jwks`` at `/.well-known/jwks.json`, and a client-credentials
    /// `POST /oauth/token` that grants any client the scopes it asks for; run it with
    /// `test(.live)` and point `AUTH_SERVICE_URL` at it.
    public func jwksServer() -> KitTestApplication {
        let jwks = jwks
        let issuer = self
        return KitTestApplication(routes: { router in
            router.get("/.well-known/jwks.json") { _, _ in JSONResponse.make(jwks) }
            router.post("/oauth/token") { request, _ -> Response in
                let form = String(buffer: try await request.body.collect(upTo: 1 << 16))
                var fields = [String: String]()
                for pair in form.split(separator: "&") {
                    let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ") }
                    if parts.count == 2 { fields[parts[0]] = parts[1].removingPercentEncoding ?? parts[1] }
                }
                let scopes = (fields["scope"] ?? "").split(separator: " ").map(String.init)
                let token = try await issuer.token(subject: "client:\(fields["client_id"] ?? "test")", roles: [], scopes: scopes, kind: .service)
                return JSONResponse.make(["access_token": JSONValue.string(token), "token_type": .string("Bearer"), "expires_in": .int(900)])
            }
        })
    }
}

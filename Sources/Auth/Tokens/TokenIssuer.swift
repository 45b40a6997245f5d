import FlotillaKit
import JWTKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Signs access tokens with the key ring's active key.
struct TokenIssuer: Sendable {
    let ring: SigningKeyRing
    let issuer: String
    let audience: String
    let lifetime: Duration

    /// A signed access token and what the client needs to know about it.
    struct Issued: Sendable {
        let token: String
        let claims: AccessTokenClaims
    }

    func issue(
        subject: String, kind: AccessTokenClaims.Kind, roles: [String], scopes: [String] = [], sessionID: UUID? = nil,
        now: Date = Date()
    ) async throws -> Issued {
        let claims = AccessTokenClaims(
            issuer: issuer, audience: audience, subject: subject, kind: kind, roles: roles,
            scope: scopes.isEmpty ? nil : scopes.joined(separator: " "),
            sessionID: sessionID?.lowercasedString, tokenID: SecureRandom.base64URL(bytes: 16),
            issuedAt: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)), lifetime: lifetime)
        let token = try await ring.signers.sign(claims, kid: JWKIdentifier(string: ring.active.kid))
        return Issued(token: token, claims: claims)
    }
}

/// The token endpoint's answer (RFC 6749 §5.1), also used by login and refresh.
struct TokenResponse: Encodable, Sendable {
    let accessToken: String
    let tokenType = "Bearer"
    let expiresIn: Int
    let refreshToken: String?
    let scope: String?

    init(_ issued: TokenIssuer.Issued, refreshToken: OpaqueToken? = nil) {
        accessToken = issued.token
        expiresIn = Int(issued.claims.expiresAt.value.timeIntervalSince(issued.claims.issuedAt.value))
        self.refreshToken = refreshToken?.value
        scope = issued.claims.scope
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token", tokenType = "token_type", expiresIn = "expires_in"
        case refreshToken = "refresh_token", scope
    }
}

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
public import JWTKit

/// The claims of a Flotilla access token (a JWT signed by the auth service).
///
/// Time and audience checks are not done in ``verify(using:)``: ``TokenVerifier`` applies
/// them with its own clock and leeway, so they can be tested and tuned in one place.
public struct AccessTokenClaims: JWTPayload, Equatable {
    /// What kind of caller a token speaks for.
    public enum Kind: String, Codable, Sendable {
        /// A person, after login or refresh.
        case user
        /// A service account, through the client-credentials grant.
        case service
        /// A machine acting for a user with one of the user's API keys.
        case apiKey = "api_key"
    }

    public var issuer: IssuerClaim
    public var audience: AudienceClaim
    public var subject: SubjectClaim
    public var expiresAt: ExpirationClaim
    public var issuedAt: IssuedAtClaim
    public var notBefore: NotBeforeClaim
    public var tokenID: IDClaim
    public var kind: Kind
    public var roles: [String]
    /// Space-separated OAuth scopes (RFC 8693 `scope`), if any.
    public var scope: String?
    /// The session (refresh-token family) a user token belongs to.
    public var sessionID: String?

    enum CodingKeys: String, CodingKey {
        case issuer = "iss", audience = "aud", subject = "sub", expiresAt = "exp", issuedAt = "iat"
        case notBefore = "nbf", tokenID = "jti", kind, roles, scope, sessionID = "sid"
    }

    public init(
        issuer: String, audience: String, subject: String, kind: Kind, roles: [String], scope: String? = nil,
        sessionID: String? = nil, tokenID: String, issuedAt: Date, lifetime: Duration
    ) {
        self.issuer = IssuerClaim(value: issuer)
        self.audience = AudienceClaim(value: audience)
        self.subject = SubjectClaim(value: subject)
        self.issuedAt = IssuedAtClaim(value: issuedAt)
        self.notBefore = NotBeforeClaim(value: issuedAt)
        self.expiresAt = ExpirationClaim(value: issuedAt.addingTimeInterval(lifetime.seconds))
        self.tokenID = IDClaim(value: tokenID)
        self.kind = kind
        self.roles = roles
        self.scope = scope
        self.sessionID = sessionID
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}

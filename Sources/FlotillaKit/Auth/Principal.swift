import JWTKit
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Who is calling: the verified content of an access token, in the request context.
public struct Principal: Sendable, Equatable {
    /// The token's `sub`: a user id, or `client:<id>` for a service account.
    public var subject: String
    public var kind: AccessTokenClaims.Kind
    /// Roles the token carries (unknown role names are ignored).
    public var roles: Set<Role>
    public var scopes: Set<String>
    /// The token's `jti`, used by the denylist.
    public var tokenID: String
    /// The refresh-token family of a user token.
    public var sessionID: String?
    public var expiresAt: Date

    public init(
        subject: String, kind: AccessTokenClaims.Kind, roles: Set<Role>, scopes: Set<String> = [],
        tokenID: String, sessionID: String? = nil, expiresAt: Date
    ) {
        self.subject = subject
        self.kind = kind
        self.roles = roles
        self.scopes = scopes
        self.tokenID = tokenID
        self.sessionID = sessionID
        self.expiresAt = expiresAt
    }

    init(claims: AccessTokenClaims) {
        self.init(
            subject: claims.subject.value,
            kind: claims.kind,
            roles: Set(claims.roles.compactMap(Role.init(rawValue:))),
            scopes: Set((claims.scope ?? "").split(separator: " ").map(String.init)),
            tokenID: claims.tokenID.value,
            sessionID: claims.sessionID,
            expiresAt: claims.expiresAt.value
        )
    }

    public var isAdmin: Bool { roles.contains(.admin) }

    /// Whether the principal has at least one of `roles`.
    public func has(anyOf roles: some Sequence<Role>) -> Bool {
        roles.contains(where: self.roles.contains)
    }
}

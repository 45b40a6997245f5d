#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import JWTKit

/// Verifies Flotilla access tokens: header first (algorithm allow-list, known `kid`, and
/// the key's own algorithm), then the signature, then `iss`, `aud`, `exp`, `nbf` with the
/// policy's leeway, then the denylist. A token seen before skips straight to the time checks
/// and the denylist (see ``VerifiedTokenCache``).
public struct TokenVerifier: Sendable {
    public let policy: TokenVerificationPolicy
    let keys: any VerificationKeySource
    let denylist: TokenDenylist?
    let now: @Sendable () -> Date
    let cache: VerifiedTokenCache?

    /// - Parameter cacheCapacity: tokens remembered as verified (for up to 60 s); 0 verifies
    ///   every token in full.
    public init(
        keys: any VerificationKeySource, policy: TokenVerificationPolicy, denylist: TokenDenylist?,
        cacheCapacity: Int = 10_000, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.keys = keys
        self.policy = policy
        self.denylist = denylist
        self.now = now
        self.cache = cacheCapacity > 0 ? VerifiedTokenCache(capacity: cacheCapacity, maxAge: .seconds(60)) : nil
    }

    /// The principal `token` speaks for, or the reason it is rejected.
    public func verify(_ token: String) async throws(TokenRejection) -> Principal {
        let claims: AccessTokenClaims
        if let cached = cache?.claims(for: token) {
            claims = cached
        } else {
            claims = try await verifySignature(token)
            cache?.store(claims, for: token)
        }
        try checkTime(claims)
        if let denylist {
            let revoked: Bool
            do {
                revoked = try await denylist.contains(tokenID: claims.tokenID.value, sessionID: claims.sessionID)
            } catch {
                throw .denylistUnavailable
            }
            if revoked { throw .revoked }
        }
        return Principal(claims: claims)
    }

    /// Header, key, signature, issuer and audience: what does not change with time.
    func verifySignature(_ token: String) async throws(TokenRejection) -> AccessTokenClaims {
        let header = try Self.header(of: token)
        guard let algorithm = header.alg, policy.algorithms.contains(algorithm) else {
            throw .unsupportedAlgorithm(header.alg ?? "(none)")
        }
        guard let kid = header.kid, let key = try await keys.key(for: kid) else { throw .unknownKey }
        guard key.algorithm == algorithm else { throw .unsupportedAlgorithm(algorithm) }
        let claims: AccessTokenClaims
        do {
            claims = try await key.keys.verify(token, as: AccessTokenClaims.self)
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw .badSignature
        } catch {
            throw .malformed
        }
        guard claims.issuer.value == policy.issuer else { throw .wrongIssuer }
        guard claims.audience.value.contains(policy.audience) else { throw .wrongAudience }
        return claims
    }

    func checkTime(_ claims: AccessTokenClaims) throws(TokenRejection) {
        let now = now()
        let leeway = policy.leeway.seconds
        guard now.timeIntervalSince(claims.expiresAt.value) < leeway else { throw .expired }
        guard claims.notBefore.value.timeIntervalSince(now) <= leeway,
            claims.issuedAt.value.timeIntervalSince(now) <= leeway
        else { throw .notYetValid }
    }

    struct Header: Decodable {
        var alg: String?
        var kid: String?
    }

    /// The protected header, decoded without trusting anything in it yet.
    static func header(of token: String) throws(TokenRejection) -> Header {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }), token.utf8.count <= 8192,
            let data = Base64URL.decode(parts[0]),
            let header = try? JSONDecoder().decode(Header.self, from: data)
        else { throw .malformed }
        return header
    }
}

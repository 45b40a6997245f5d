#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import JWTKit

/// A public signing key as published in a JWKS document (RFC 7517): RSA (`n`, `e`) or
/// EC P-256 (`crv`, `x`, `y`).
public struct JSONWebKey: Codable, Sendable, Equatable {
    public var kty: String
    public var use: String?
    public var alg: String?
    public var kid: String?
    public var n: String?
    public var e: String?
    public var crv: String?
    public var x: String?
    public var y: String?

    public init(kty: String, use: String? = "sig", alg: String?, kid: String?, n: String? = nil, e: String? = nil, crv: String? = nil, x: String? = nil, y: String? = nil) {
        self.kty = kty
        self.use = use
        self.alg = alg
        self.kid = kid
        self.n = n
        self.e = e
        self.crv = crv
        self.x = x
        self.y = y
    }

    /// A key that verifies tokens with this key's `kid` and `alg` only; `nil` for keys that
    /// lack either, are not for signatures, or use an algorithm outside `algorithms`.
    func verificationKey(accepting algorithms: Set<String>) async -> VerificationKey? {
        guard let kid, let alg, algorithms.contains(alg), use == nil || use == "sig" else { return nil }
        do {
            let jwk = try JSONDecoder().decode(JWK.self, from: JSONEncoder().encode(self))
            let keys = try await JWTKeyCollection().add(jwk: jwk)
            return VerificationKey(kid: kid, algorithm: alg, keys: keys)
        } catch {
            return nil
        }
    }
}

/// A JWKS document: `{"keys": [...]}`.
public struct JSONWebKeySet: Codable, Sendable, Equatable {
    public var keys: [JSONWebKey]

    public init(keys: [JSONWebKey]) {
        self.keys = keys
    }
}

/// One key, bound to the single algorithm it was published with.
public struct VerificationKey: Sendable {
    public let kid: String
    public let algorithm: String
    let keys: JWTKeyCollection
}

extension JSONWebKey {
    /// The published form of an RS256 public key.
    public init(rs256 key: Insecure.RSA.PublicKey, kid: String) throws {
        let primitives = try key.getKeyPrimitives()
        self.init(kty: "RSA", alg: "RS256", kid: kid, n: Base64URL.encode(primitives.modulus), e: Base64URL.encode(primitives.publicExponent))
    }

    /// The published form of an ES256 (P-256) public key; `nil` if it has no coordinates.
    public init?(es256 key: ES256PublicKey, kid: String) {
        guard let parameters = key.parameters else { return nil }
        self.init(kty: "EC", alg: "ES256", kid: kid, crv: "P-256", x: parameters.x, y: parameters.y)
    }
}

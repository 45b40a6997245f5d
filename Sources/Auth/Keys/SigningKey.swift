import CryptoExtras
import FlotillaKit
import JWTKit

/// One private signing key with its `kid`, and its public half as a JWK.
struct SigningKey: Sendable {
    let kid: String
    let algorithm: SigningAlgorithm
    let publicJWK: JSONWebKey
    /// The PEM text, for writing a generated key to disk.
    let pem: String
    private let add: @Sendable (JWTKeyCollection) async -> Void

    /// Parse a PEM private key: RSA (≥ 2048 bits) signs RS256, EC P-256 signs ES256.
    init(kid: String, pem: String) throws {
        self.kid = kid
        self.pem = pem
        if let backing = try? _RSA.Signing.PrivateKey(pemRepresentation: pem) {
            guard backing.keySizeInBits >= 2048 else { throw SigningKeyError.weakKey(kid, backing.keySizeInBits) }
            let key = try Insecure.RSA.PrivateKey(backing: backing)
            algorithm = .rs256
            publicJWK = try JSONWebKey(rs256: key.publicKey, kid: kid)
            add = { await $0.add(rsa: key, digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid)) }
        } else {
            let key: ES256PrivateKey
            do {
                key = try ES256PrivateKey(pem: pem)
            } catch {
                throw SigningKeyError.unsupported(kid)
            }
            guard let jwk = JSONWebKey(es256: key.publicKey, kid: kid) else { throw SigningKeyError.unsupported(kid) }
            algorithm = .es256
            publicJWK = jwk
            add = { await $0.add(ecdsa: key, kid: JWKIdentifier(string: kid)) }
        }
    }

    /// A fresh key (dev mode and tests).
    static func generate(kid: String, algorithm: SigningAlgorithm) throws -> SigningKey {
        switch algorithm {
        case .rs256: try SigningKey(kid: kid, pem: _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation)
        case .es256: try SigningKey(kid: kid, pem: ES256PrivateKey().pemRepresentation)
        }
    }

    /// Add this key, under its `kid`, to a collection used for signing.
    func register(in keys: JWTKeyCollection) async {
        await add(keys)
    }
}

enum SigningKeyError: Error, CustomStringConvertible {
    case weakKey(String, Int)
    case unsupported(String)
    case noKeys(String)
    case unknownActiveKey(String, available: [String])
    case unreadable(String, String)

    var description: String {
        switch self {
        case .weakKey(let kid, let bits): "signing key '\(kid)' is RSA-\(bits); use at least 2048 bits"
        case .unsupported(let kid): "signing key '\(kid)' is neither an RSA nor an EC P-256 private key in PEM form"
        case .noKeys(let directory): "no signing keys (*.pem) in \(directory); mount them there, or set AUTH_DEV_MODE=true to generate one"
        case .unknownActiveKey(let kid, let available): "AUTH_SIGNING_KEY_ID '\(kid)' is not among the keys: \(available.joined(separator: ", "))"
        case .unreadable(let path, let reason): "cannot read signing key \(path): \(reason)"
        }
    }
}

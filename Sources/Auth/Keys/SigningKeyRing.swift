import FlotillaKit
import JWTKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The auth service's signing keys: one active key signs, every key loaded is published in
/// the JWKS, so tokens from a key being rotated out keep verifying until the key's file is
/// removed.
struct SigningKeyRing: Sendable {
    let keys: [SigningKey]
    let active: SigningKey
    let signers: JWTKeyCollection

    init(keys: [SigningKey], activeKeyID: String?) async throws {
        guard let newest = keys.max(by: { $0.kid < $1.kid }) else { throw SigningKeyError.noKeys("the key ring") }
        if let activeKeyID {
            guard let chosen = keys.first(where: { $0.kid == activeKeyID }) else {
                throw SigningKeyError.unknownActiveKey(activeKeyID, available: keys.map(\.kid).sorted())
            }
            active = chosen
        } else {
            active = newest
        }
        self.keys = keys
        signers = JWTKeyCollection()
        for key in keys {
            await key.register(in: signers)
        }
    }

    /// The public keys as a JWKS document.
    var jwks: JSONWebKeySet {
        JSONWebKeySet(keys: keys.sorted { $0.kid < $1.kid }.map(\.publicJWK))
    }

    /// Load every `*.pem` in the configured directory (kid = file name without `.pem`),
    /// generating one first when allowed and there is none.
    static func load(_ configuration: SigningKeyConfiguration) async throws -> SigningKeyRing {
        let files = FileManager.default
        let directory = configuration.directory
        var names = ((try? files.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".pem") }.sorted()
        if names.isEmpty, configuration.generateWhenMissing {
            try files.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let kid = "dev-" + SecureRandom.hex(bytes: 4)
            let key = try SigningKey.generate(kid: kid, algorithm: configuration.generatedAlgorithm)
            guard files.createFile(atPath: "\(directory)/\(kid).pem", contents: Data(key.pem.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw SigningKeyError.unreadable("\(directory)/\(kid).pem", "cannot create the file")
            }
            names = [kid + ".pem"]
        }
        guard !names.isEmpty else { throw SigningKeyError.noKeys(directory) }
        var keys = [SigningKey]()
        for name in names {
            let path = "\(directory)/\(name)"
            guard let data = files.contents(atPath: path) else { throw SigningKeyError.unreadable(path, "no such file or not readable") }
            keys.append(try SigningKey(kid: String(name.dropLast(4)), pem: String(decoding: data, as: UTF8.self)))
        }
        return try await SigningKeyRing(keys: keys, activeKeyID: configuration.activeKeyID)
    }
}

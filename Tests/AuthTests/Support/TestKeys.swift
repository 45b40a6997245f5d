@testable import Auth

/// Signing keys for tests. RSA key generation is slow in a debug build and would hold a
/// cooperative thread (there are two on this machine), so two RSA keys are generated once
/// and re-labelled with whatever `kid` a test needs; EC keys are cheap and made fresh.
enum TestKeys {
    static let rsaPEM = try! SigningKey.generate(kid: "seed", algorithm: .rs256).pem
    static let otherRSAPEM = try! SigningKey.generate(kid: "seed", algorithm: .rs256).pem

    static func rsa(kid: String) throws -> SigningKey {
        try SigningKey(kid: kid, pem: rsaPEM)
    }

    /// A different RSA key, for "right kid, wrong key" cases.
    static func otherRSA(kid: String) throws -> SigningKey {
        try SigningKey(kid: kid, pem: otherRSAPEM)
    }

    static func ec(kid: String) throws -> SigningKey {
        try SigningKey.generate(kid: kid, algorithm: .es256)
    }
}

import Crypto
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A high-entropy secret handed to a client once (refresh token, reset token, API key);
/// only its SHA-256 is stored, which is enough because it cannot be guessed. Auth's refresh
/// and reset tokens and API keys, files' share links.
public struct OpaqueToken: Sendable {
    /// The secret itself, shown to its owner once.
    public let value: String

    public init(value: String) {
        self.value = value
    }

    /// 256 random bits, base64url, with an optional readable prefix (`flt_` for API keys).
    public static func generate(prefix: String = "") -> OpaqueToken {
        OpaqueToken(value: prefix + SecureRandom.base64URL(bytes: 32))
    }

    /// What is stored: the SHA-256 of ``value``.
    public var hash: Data { Self.hash(value) }

    /// The stored form of `value`.
    public static func hash(_ value: String) -> Data {
        Data(SHA256.hash(data: Array(value.utf8)))
    }
}

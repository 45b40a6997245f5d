import Crypto
import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Random bytes from the system CSPRNG (getrandom on Linux), in the encodings tokens use.
enum SecureRandom {
    static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    static func hex(bytes count: Int) -> String {
        bytes(count).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    static func base64URL(bytes count: Int) -> String {
        Base64URL.encode(bytes(count))
    }
}

/// A high-entropy secret handed to a client once (refresh token, reset token, API key);
/// only its SHA-256 is stored, which is enough because it cannot be guessed.
struct OpaqueToken: Sendable {
    let value: String

    /// 256 random bits, base64url, with an optional readable prefix (`flt_` for API keys).
    static func generate(prefix: String = "") -> OpaqueToken {
        OpaqueToken(value: prefix + SecureRandom.base64URL(bytes: 32))
    }

    var hash: Data { Self.hash(value) }

    static func hash(_ value: String) -> Data {
        Data(SHA256.hash(data: Array(value.utf8)))
    }
}

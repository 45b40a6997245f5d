#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Random bytes from the system CSPRNG (getrandom on Linux), in the encodings tokens use.
public enum SecureRandom {
    /// `count` random bytes.
    public static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// `count` random bytes as lower-case hex.
    public static func hex(bytes count: Int) -> String {
        bytes(count).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// `count` random bytes as unpadded base64url.
    public static func base64URL(bytes count: Int) -> String {
        Base64URL.encode(bytes(count))
    }
}

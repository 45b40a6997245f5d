import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One-time MFA recovery codes: `xxxxx-xxxxx` in an unambiguous alphabet (50 bits each),
/// stored as SHA-256 of the normalised code.
enum RecoveryCodes {
    static let count = 10
    static let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")

    static func generate() -> [String] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            let characters = (0..<10).map { _ in alphabet.randomElement(using: &generator)! }
            return String(characters[0..<5]) + "-" + String(characters[5...])
        }
    }

    /// The stored form of a code as typed: case, spaces and dashes do not matter.
    static func hash(_ typed: String) -> Data {
        let normalised = typed.lowercased().filter { $0 != "-" && !$0.isWhitespace }
        return Data(SHA256.hash(data: Array(normalised.utf8)))
    }
}

import Crypto

/// The secret of an invitation: 32 random bytes as 64 hex digits, shown once; only its
/// SHA-256 is stored, so a database read does not hand out invitations.
enum InvitationToken {
    /// A new token and its hash.
    static func make() -> (token: String, sha256: String) {
        var generator = SystemRandomNumberGenerator()
        let token = (0..<32).map { _ in hex(UInt8.random(in: .min ... .max, using: &generator)) }.joined()
        return (token, sha256(token))
    }

    /// The stored form of `token`.
    static func sha256(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map(hex).joined()
    }

    /// Whether `text` could be a token (so junk never reaches the database).
    static func isPlausible(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}

import FlotillaKit
import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): HMAC-SHA1, 30-second
/// steps, 6 digits, the parameters every authenticator app assumes.
struct TOTP: Sendable {
    let secret: [UInt8]
    var digits = 6
    var period: Int64 = 30

    /// The time step containing `date`.
    func step(at date: Date) -> Int64 {
        Int64(date.timeIntervalSince1970.rounded(.down)) / period
    }

    /// The code for time step `step` (RFC 4226 §5.3 dynamic truncation).
    func code(forStep step: Int64) -> String {
        var counter = UInt64(bitPattern: step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Array($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        return String(binary % modulus).leftPadded(to: digits)
    }

    func code(at date: Date) -> String {
        code(forStep: step(at: date))
    }

    /// The step whose code is `code`, searching `window` steps either side of `date`'s
    /// (±1 tolerates clock drift and a code typed as it rolls over), or `nil`.
    func matchingStep(for code: String, at date: Date, window: Int64 = 1) -> Int64? {
        guard code.count == digits, code.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let current = step(at: date)
        for candidate in (current - window)...(current + window) where constantTimeEqual(Array(self.code(forStep: candidate).utf8), Array(code.utf8)) {
            return candidate
        }
        return nil
    }

    /// The `otpauth://` URI authenticator apps scan as a QR code.
    func provisioningURI(account: String, issuer: String) -> String {
        let label = Self.percentEncode(issuer) + ":" + Self.percentEncode(account)
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(Self.percentEncode(issuer))&algorithm=SHA1&digits=\(digits)&period=\(period)"
    }

    static func percentEncode(_ text: String) -> String {
        text.percentEncoded(alsoKeeping: "@")
    }
}

import FlotillaKit

/// NIST SP 800-63B §5.1.1.2: at least 8 characters, up to 128 accepted (all of Unicode,
/// spaces included), no composition rules, and not a commonly used password or one derived
/// from the account's own email or name.
struct PasswordPolicy: Sendable {
    static let minimumLength = 8
    static let maximumLength = 128

    let commonPasswords: CommonPasswords

    /// The reason `password` is refused, as a 400 naming `field`, or `nil` when it is fine.
    func problem(with password: String, email: String, name: String, field: String = "password") -> APIError? {
        let length = password.count
        if length < Self.minimumLength {
            return .invalidField(field, "The password must be at least \(Self.minimumLength) characters long (it has \(length)).", details: ["min_length": .int(Self.minimumLength)])
        }
        if length > Self.maximumLength {
            return .invalidField(field, "The password must be at most \(Self.maximumLength) characters long (it has \(length)).", details: ["max_length": .int(Self.maximumLength)])
        }
        let lowered = password.lowercased()
        if commonPasswords.contains(lowered) {
            return .invalidField(field, "This password is on a list of commonly used passwords; choose another one.", details: ["reason": .string("common_password")])
        }
        let localPart = email.split(separator: "@").first.map(String.init) ?? email
        if lowered == email || (localPart.count >= 4 && lowered == localPart) || lowered == name.lowercased() {
            return .invalidField(field, "The password must not be your email address or name.", details: ["reason": .string("context_specific")])
        }
        if Set(password).count == 1 {
            return .invalidField(field, "The password must not repeat a single character.", details: ["reason": .string("repetitive")])
        }
        return nil
    }
}

/// The shipped list of common passwords (`Resources/common-passwords.txt`), lower case.
struct CommonPasswords: Sendable {
    let entries: Set<Substring>

    init(text: String = EmbeddedText.commonPasswords) {
        entries = Set(text.split(separator: "\n").filter { !$0.hasPrefix("#") })
    }

    func contains(_ lowercasedPassword: String) -> Bool {
        entries.contains(Substring(lowercasedPassword))
    }
}

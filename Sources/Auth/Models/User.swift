import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A person's account as stored (never serialised as is: it holds the password hash).
struct User: Sendable, Decodable {
    let id: UUID
    let email: String
    let name: String
    let passwordHash: String
    let roles: [String]
    let totpSecret: String?
    let totpEnabled: Bool
    let totpLastStep: Int64
    let createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, email, name, roles
        case passwordHash = "password_hash", totpSecret = "totp_secret", totpEnabled = "totp_enabled"
        case totpLastStep = "totp_last_step", createdAt = "created_at"
    }

    var view: UserView {
        UserView(id: id.lowercasedString, email: email, name: name, roles: roles, mfaEnabled: totpEnabled, createdAt: createdAt)
    }
}

/// A user as the API shows it.
struct UserView: Codable, Sendable, Equatable {
    let id: String
    let email: String
    let name: String
    let roles: [String]
    let mfaEnabled: Bool
    let createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, email, name, roles
        case mfaEnabled = "mfa_enabled", createdAt = "created_at"
    }
}

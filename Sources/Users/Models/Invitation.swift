import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An invitation to join an organization, addressed to an email. Its token is shown once, in
/// the reply that creates it; only its SHA-256 is stored.
struct Invitation: Codable, Sendable, Equatable {
    let id: String
    let organization: String
    let email: String
    let role: OrganizationRole
    let invitedBy: String
    let status: Status
    let expiresAt: Date
    let createdAt: Date
    /// Only in the reply that creates it.
    var token: String?

    enum Status: String, Codable, Sendable {
        case pending, accepted, declined, revoked, replaced
    }

    enum CodingKeys: String, CodingKey {
        case id, organization, email, role, status, token
        case invitedBy = "invited_by", expiresAt = "expires_at", createdAt = "created_at"
    }
}

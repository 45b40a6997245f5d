#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An API key as listed: the prefix identifies it; the secret is never shown again.
struct APIKeyView: Codable, Sendable, Equatable {
    let id: String
    let name: String
    let prefix: String
    let scopes: [String]
    let createdAt: Date
    let lastUsedAt: Date?
    let revokedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, name, prefix, scopes
        case createdAt = "created_at", lastUsedAt = "last_used_at", revokedAt = "revoked_at"
    }
}

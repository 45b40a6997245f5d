#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An active login as `GET /v1/sessions` lists it.
struct SessionView: Codable, Sendable, Equatable {
    let id: String
    let createdAt: Date
    let lastUsedAt: Date
    let expiresAt: Date
    let userAgent: String?
    let clientIP: String?
    /// Whether this is the session of the token making the request.
    var current: Bool = false

    enum CodingKeys: String, CodingKey {
        case id, current
        case createdAt = "created_at", lastUsedAt = "last_used_at", expiresAt = "expires_at"
        case userAgent = "user_agent", clientIP = "client_ip"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        lastUsedAt = try container.decode(Date.self, forKey: .lastUsedAt)
        expiresAt = try container.decode(Date.self, forKey: .expiresAt)
        userAgent = try container.decodeIfPresent(String.self, forKey: .userAgent)
        clientIP = try container.decodeIfPresent(String.self, forKey: .clientIP)
        current = try container.decodeIfPresent(Bool.self, forKey: .current) ?? false
    }
}

import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A customer as stored and served.
struct Customer: Codable, Sendable, Equatable {
    let id: String
    /// The auth subject allowed to read and edit this record (besides admins and managers).
    var userID: String?
    var email: String
    var name: String
    /// The stored tier: platinum, gold, silver or bronze.
    var tier: String
    var phone: String?
    var address: [String: JSONValue]
    let createdAt: Date
    var updatedAt: Date

    static let tiers = ["platinum", "gold", "silver", "bronze"]

    enum CodingKeys: String, CodingKey {
        case id, email, name, tier, phone, address
        case userID = "user_id", createdAt = "created_at", updatedAt = "updated_at"
    }
}

/// `GET /customers/{id}`: the customer, what they spent, and the tier that earns them.
/// When the orders service cannot answer, `total_spent` and `vip_tier` are null and
/// `warnings` says why.
struct CustomerDetail: Encodable {
    let customer: Customer
    let totalSpent: Money?
    let vipTier: String?
    let warnings: [String]

    func encode(to encoder: any Encoder) throws {
        try customer.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(totalSpent, forKey: .totalSpent)
        try container.encode(vipTier, forKey: .vipTier)
        try container.encode(warnings, forKey: .warnings)
    }

    enum Keys: String, CodingKey {
        case totalSpent = "total_spent", vipTier = "vip_tier", warnings
    }
}

/// `GET /customers`: a page and where it is.
struct CustomerPage: Encodable {
    let data: [Customer]
    let pagination: PageInfo
}

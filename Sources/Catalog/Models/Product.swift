import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A watch in the catalogue, as stored and as served.
struct Product: Codable, Sendable, Equatable {
    let id: String
    var name: String
    var brand: String
    var category: String
    /// Exact, two decimals; a JSON string such as `"12500.00"`.
    var price: Money
    var stock: Int
    /// Movement, case material, diameter, water resistance, year, condition, warranty, ...
    var metadata: [String: JSONValue]
    let createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, brand, category, price, stock, metadata
        case createdAt = "created_at", updatedAt = "updated_at"
    }
}

/// `GET /products`: a page and where it is.
struct ProductPage: Encodable {
    let data: [Product]
    let pagination: PageInfo
}

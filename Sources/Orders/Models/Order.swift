import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An order as served, with its lines.
struct Order: Codable, Sendable, Equatable {
    let id: String
    let customerID: String
    var status: String
    let total: Money
    let paymentMethod: String
    let shippingAddress: [String: JSONValue]
    let createdBy: String
    let createdAt: Date
    var updatedAt: Date
    var items: [OrderItem] = []

    enum CodingKeys: String, CodingKey {
        case id, status, total, items
        case customerID = "customer_id", paymentMethod = "payment_method", shippingAddress = "shipping_address"
        case createdBy = "created_by", createdAt = "created_at", updatedAt = "updated_at"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        customerID = try container.decode(String.self, forKey: .customerID)
        status = try container.decode(String.self, forKey: .status)
        total = try container.decode(Money.self, forKey: .total)
        paymentMethod = try container.decode(String.self, forKey: .paymentMethod)
        shippingAddress = try container.decode([String: JSONValue].self, forKey: .shippingAddress)
        createdBy = try container.decode(String.self, forKey: .createdBy)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        updatedAt = try container.decode(Date.self, forKey: .updatedAt)
        items = try container.decodeIfPresent([OrderItem].self, forKey: .items) ?? []
    }
}

/// One line of an order, priced at checkout.
struct OrderItem: Codable, Sendable, Equatable {
    let productID: String
    let quantity: Int
    let unitPrice: Money
    let lineTotal: Money

    enum CodingKeys: String, CodingKey {
        case quantity, productID = "product_id", unitPrice = "unit_price", lineTotal = "line_total"
    }
}

/// `GET /orders`: a page and where it is.
struct OrderPage: Encodable {
    let data: [Order]
    let pagination: PageInfo
}

/// `GET /orders/summary`: what customers reads for `total_spent`.
struct OrderSummary: Encodable {
    let customerID: String
    /// Completed and pending orders.
    let totalSpent: Money
    let orderCount: Int
    let byStatus: [String: Int]

    enum CodingKeys: String, CodingKey {
        case customerID = "customer_id", totalSpent = "total_spent", orderCount = "order_count", byStatus = "by_status"
    }
}

/// A cancelled order and whether its stock is back in the catalog (`done`) or waiting in
/// the restock queue (`pending`): the order's fields plus `restock`.
struct Cancellation: Encodable, Sendable {
    let order: Order
    let restock: String

    private enum CodingKeys: String, CodingKey { case restock }

    func encode(to encoder: any Encoder) throws {
        try order.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(restock, forKey: .restock)
    }
}

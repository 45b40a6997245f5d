import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The catalog and customers services as the checkout needs them. Every call goes through
/// a kit `Upstream` (libcurl, deadline, breaker); only idempotent calls are retried.
struct CheckoutUpstreams: Sendable {
    let catalog: Upstream
    let customers: Upstream
    /// A service token with `catalog:inventory`, for putting stock back.
    let serviceToken: ServiceTokenProvider

    /// The outcome of reserving one line.
    enum Reservation: Sendable {
        case reserved(unitPrice: Money)
        /// Catalog refused: out of stock (with what is left) or no such product.
        case refused(status: Int, code: String, available: Int?)
    }

    struct Purchase: Decodable {
        let unitPrice: Money
        enum CodingKeys: String, CodingKey { case unitPrice = "unit_price" }
    }

    struct CatalogError: Decodable {
        let error: String
        let details: [String: JSONValue]?
    }

    /// Whether the customer exists and the caller may order for them: the customers
    /// service's own answer (200, 403 or 404).
    func customerStatus(_ id: String, authorization: String?) async throws -> Int {
        try await customers.execute("GET", "/customers/\(id)", headers: Self.bearer(authorization), timeout: .seconds(2)).status
    }

    /// Take `quantity` of `productID` from stock, as the caller. Not retried: a decrement is
    /// not idempotent.
    func reserve(_ productID: String, quantity: Int, authorization: String?) async throws -> Reservation {
        let response = try await catalog.execute(
            "PATCH", "/products/\(productID)/inventory", headers: Self.bearer(authorization) + [("Content-Type", "application/json")],
            body: Array(#"{"quantity":\#(quantity)}"#.utf8), idempotent: false, timeout: .seconds(3))
        if response.status == 200, let purchase = try? JSONDecoder().decode(Purchase.self, from: Data(response.body)) {
            return .reserved(unitPrice: purchase.unitPrice)
        }
        let failure = try? JSONDecoder().decode(CatalogError.self, from: Data(response.body))
        var available: Int?
        if case .int(let value)? = failure?.details?["available"] { available = value }
        return .refused(status: response.status, code: failure?.error ?? "catalog_error", available: available)
    }

    /// Put `quantity` back (compensation), with the orders service's own token.
    func release(_ productID: String, quantity: Int) async throws {
        let token = try await serviceToken.token()
        let response = try await catalog.execute(
            "POST", "/products/\(productID)/inventory/restock",
            headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
            body: Array(#"{"quantity":\#(quantity)}"#.utf8), idempotent: false, timeout: .seconds(3))
        guard response.status == 200 else { throw RestockFailed(productID: productID, status: response.status) }
    }

    static func bearer(_ authorization: String?) -> [(String, String)] {
        authorization.map { [("Authorization", $0)] } ?? []
    }
}

struct RestockFailed: Error, CustomStringConvertible {
    let productID: String
    let status: Int
    var description: String { "restocking \(productID) answered \(status)" }
}

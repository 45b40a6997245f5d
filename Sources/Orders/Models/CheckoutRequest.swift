import Crypto
import FlotillaKit
import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The body of `POST /orders` (the seed's camelCase names).
struct CheckoutRequest: Codable, Sendable {
    struct Item: Codable, Sendable {
        let productId: String
        let quantity: Int
    }

    let customerId: String
    let items: [Item]
    let paymentMethod: String
    let shippingAddress: [String: JSONValue]

    static let paymentMethods = ["card", "bank_transfer", "paypal", "cash_on_delivery"]

    func validate() throws(APIError) {
        var problems = [String: String]()
        if !Self.isID(customerId) { problems["customerId"] = "must be 1 to 64 letters, digits, _ or -" }
        if !(1...50).contains(items.count) { problems["items"] = "must hold 1 to 50 lines" }
        for (index, item) in items.enumerated() {
            if !Self.isID(item.productId) { problems["items[\(index)].productId"] = "is not a product id" }
            if !(1...100).contains(item.quantity) { problems["items[\(index)].quantity"] = "must be from 1 to 100" }
        }
        if Set(items.map(\.productId)).count != items.count { problems["items"] = "name each product once; put the count in quantity" }
        if !Self.paymentMethods.contains(paymentMethod) { problems["paymentMethod"] = "must be one of \(Self.paymentMethods.joined(separator: ", "))" }
        if shippingAddress.isEmpty { problems["shippingAddress"] = "is required" }
        guard !problems.isEmpty else { return }
        throw APIError.invalidFields(problems)
    }

    /// A fingerprint of the request, so an Idempotency-Key reused for a different order is caught.
    var fingerprint: String {
        let encoder = JSONResponse.makeEncoder()
        let bytes = (try? encoder.encode(self)).map { Array($0) } ?? []
        return SHA256.hash(data: bytes).map { String($0, radix: 16) }.joined()
    }

    static func isID(_ text: String) -> Bool {
        (1...64).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }
}

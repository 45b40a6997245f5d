import FlotillaKit
import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The body of `POST /products` and `PUT /products/{id}`: every field optional so that one
/// pass can name each missing or invalid field.
struct ProductInput: Decodable, Sendable {
    var id: String?
    var name: String?
    var brand: String?
    var category: String?
    var price: Money?
    var stock: Int?
    var metadata: [String: JSONValue]?

    var isEmpty: Bool {
        id == nil && name == nil && brand == nil && category == nil && price == nil && stock == nil && metadata == nil
    }

    /// Problems with the fields that are present; `requireAll` adds the missing ones (create).
    func problems(requireAll: Bool) -> [String: String] {
        var problems = [String: String]()
        func text(_ name: String, _ value: String?, max: Int) {
            guard let value else {
                if requireAll { problems[name] = "is required" }
                return
            }
            let trimmed = value.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.count > max { problems[name] = "must be 1 to \(max) characters" }
        }
        if requireAll {
            if let id {
                if !(1...64).contains(id.count) || !id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) {
                    problems["id"] = "must be 1 to 64 letters, digits, _ or - (e.g. prod_001)"
                }
            } else {
                problems["id"] = "is required"
            }
        } else if id != nil {
            problems["id"] = "cannot be changed"
        }
        text("name", name, max: 200)
        text("brand", brand, max: 100)
        text("category", category, max: 50)
        if let price {
            if price < .zero || price.amount >= 10_000_000_000 { problems["price"] = "must be from 0 to 9999999999.99" }
        } else if requireAll {
            problems["price"] = "is required"
        }
        if let stock {
            if !(0...10_000_000).contains(stock) { problems["stock"] = "must be an integer from 0 to 10000000" }
        } else if requireAll {
            problems["stock"] = "is required"
        }
        return problems
    }

    /// 400 `validation_failed` naming every bad field, or nothing.
    func validate(requireAll: Bool) throws(APIError) {
        if !requireAll && isEmpty {
            throw APIError(.badRequest, code: "validation_failed", message: "Send at least one field to change.")
        }
        let problems = problems(requireAll: requireAll)
        guard !problems.isEmpty else { return }
        throw APIError.invalidFields(problems)
    }
}

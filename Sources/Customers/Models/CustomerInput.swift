import FlotillaKit
import HTTPTypes

/// The body of `POST /customers` and `PUT /customers/{id}`.
struct CustomerInput: Decodable, Sendable {
    var id: String?
    var userID: String?
    var email: String?
    var name: String?
    var tier: String?
    var phone: String?
    var address: [String: JSONValue]?

    enum CodingKeys: String, CodingKey {
        case id, email, name, tier, phone, address, userID = "user_id"
    }

    var isEmpty: Bool {
        id == nil && userID == nil && email == nil && name == nil && tier == nil && phone == nil && address == nil
    }

    /// 400 `validation_failed` naming every bad field; `creating` requires id, email, name.
    func validate(creating: Bool) throws(APIError) {
        if !creating && isEmpty { throw APIError(.badRequest, code: "validation_failed", message: "Send at least one field to change.") }
        var problems = [String: String]()
        if creating {
            if let id {
                if !(1...64).contains(id.count) || !id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) {
                    problems["id"] = "must be 1 to 64 letters, digits, _ or - (e.g. cust_001)"
                }
            } else {
                problems["id"] = "is required"
            }
        } else if id != nil {
            problems["id"] = "cannot be changed"
        }
        if let email {
            let parts = email.split(separator: "@", omittingEmptySubsequences: false)
            if email.count > 254 || parts.count != 2 || parts[0].isEmpty || !parts[1].contains(".") || email.contains(" ") {
                problems["email"] = "is not a valid email address"
            }
        } else if creating {
            problems["email"] = "is required"
        }
        if let name {
            if !(1...200).contains(name.trimmingWhitespace().count) { problems["name"] = "must be 1 to 200 characters" }
        } else if creating {
            problems["name"] = "is required"
        }
        if let tier, !Customer.tiers.contains(tier) { problems["tier"] = "must be one of \(Customer.tiers.joined(separator: ", "))" }
        if let phone, phone.count > 40 { problems["phone"] = "must be at most 40 characters" }
        if let userID, !(1...100).contains(userID.count) { problems["user_id"] = "must be 1 to 100 characters" }
        guard !problems.isEmpty else { return }
        throw APIError.invalidFields(problems)
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird

extension FlotillaRequestContext {
    /// The path parameter `name` as a lower-case UUID; anything else names nothing that can
    /// exist, so it is 404 `not_found` with `what` ("task") in the message, never a database
    /// error.
    public func uuidParameter(_ name: String, what: String) throws(APIError) -> String {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else {
            throw APIError.notFound("No \(what) with id '\((parameters.get(name) ?? "").prefix(64))'.")
        }
        return id.lowercasedString
    }
}

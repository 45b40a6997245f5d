import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The orders service, over the kit's libcurl upstream (deadline, retries for these
/// idempotent GETs, circuit breaker). Calls carry the caller's token, so orders applies its
/// own authorization.
struct OrdersClient: Sendable {
    let upstream: Upstream

    /// What a customer has ordered: `GET /orders/summary?customerId=` on the orders service.
    struct Summary: Decodable, Sendable {
        /// Completed and pending orders, exact.
        let totalSpent: Money
        let orderCount: Int

        enum CodingKeys: String, CodingKey { case totalSpent = "total_spent", orderCount = "order_count" }
    }

    /// Why orders could not answer (reported as a warning or a 503, never a 500).
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// `customerID` must be a validated id (letters, digits, `_`, `-`): it goes into a URL.
    func summary(customerID: String, authorization: String?) async throws(Unavailable) -> Summary {
        let response = try await get("/orders/summary?customerId=\(customerID)", authorization: authorization)
        guard response.status == 200, let summary = try? JSONDecoder().decode(Summary.self, from: Data(response.body)) else {
            throw Unavailable(description: "the orders service answered \(response.status)")
        }
        return summary
    }

    /// The orders service's answer to `GET /orders?customerId=…&…`, passed through as is.
    func orders(customerID: String, query: String?, authorization: String?) async throws(Unavailable) -> HTTPClientResponse {
        var path = "/orders?customerId=\(customerID)"
        if let query, !query.isEmpty { path += "&" + query }
        return try await get(path, authorization: authorization)
    }

    private func get(_ path: String, authorization: String?) async throws(Unavailable) -> HTTPClientResponse {
        do {
            return try await upstream.execute("GET", path, headers: authorization.map { [("Authorization", $0)] } ?? [], timeout: .seconds(2))
        } catch {
            let reason = (error as? HTTPClientError)?.kind.rawValue ?? "\(error)"
            throw Unavailable(description: "the orders service is unavailable (\(reason))")
        }
    }
}

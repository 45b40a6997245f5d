import FlotillaKit
import HTTPTypes
import Hummingbird
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns `@handles` into user ids with one batched call to users (`GET /users/resolve`),
/// with the caller's token. Unknown handles are simply not mentions. Users down: 503, and
/// the comment is not written (a mention silently lost is worse than a retry).
struct HandleResolver: Sendable {
    let upstream: Upstream

    private struct Resolution: Decodable {
        struct Resolved: Decodable {
            let handle: String
            let userID: String

            enum CodingKeys: String, CodingKey {
                case handle
                case userID = "user_id"
            }
        }
        let data: [Resolved]
    }

    /// The user ids of `handles`, in their order, for the caller of `request`.
    func userIDs(_ handles: [String], _ request: Request) async throws -> [String] {
        guard !handles.isEmpty else { return [] }
        // Handles are letters, digits, `-` and `_`: nothing in them needs escaping in a URL.
        let query = handles.joined(separator: ",")
        let response: HTTPClientResponse
        do {
            response = try await upstream.execute(
                "GET", "/users/resolve?handles=\(query)", headers: request.headers[.authorization].map { [("Authorization", $0)] } ?? [], timeout: .seconds(3))
        } catch {
            throw Self.unavailable((error as? HTTPClientError)?.kind.rawValue ?? "\(error)")
        }
        guard response.status == 200, let resolution = try? JSONDecoder().decode(Resolution.self, from: Data(response.body)) else {
            throw Self.unavailable("status \(response.status)")
        }
        let ids = Dictionary(resolution.data.map { ($0.handle, $0.userID) }) { first, _ in first }
        return handles.compactMap { ids[$0] }
    }

    private static func unavailable(_ reason: String) -> APIError {
        APIError(
            .serviceUnavailable, code: "upstream_unavailable",
            message: "The users service cannot resolve the @mentions right now (\(reason)); nothing was saved, retry shortly.",
            headers: [.retryAfter: "2"])
    }
}

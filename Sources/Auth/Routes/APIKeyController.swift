import FlotillaKit
import Hummingbird
import Logging
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `POST/GET /v1/api-keys` and `DELETE /v1/api-keys/{id}`: a user's keys for machines.
/// A key is exchanged for a short-lived access token at `POST /oauth/token`.
struct APIKeyController: Sendable {
    let apiKeys: APIKeyRepository
    let audit: AuditLog

    struct Input: Decodable {
        let name: String
        let scopes: [String]?
    }

    /// The new key's listing plus the key itself, shown only in this answer.
    struct Created: Encodable {
        let apiKey: APIKeyView
        let key: String

        func encode(to encoder: any Encoder) throws {
            try apiKey.encode(to: encoder)
            var container = encoder.container(keyedBy: KeyField.self)
            try container.encode(key, forKey: .key)
        }

        enum KeyField: String, CodingKey { case key }
    }

    struct KeyList: Encodable {
        let apiKeys: [APIKeyView]
        enum CodingKeys: String, CodingKey { case apiKeys = "api_keys" }
    }

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.post("api-keys", use: create)
        group.get("api-keys", use: list)
        group.delete("api-keys/{id}", use: revoke)
    }

    @Sendable func create(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(as: Input.self, context: context)
        let userID = try context.requireInteractiveUserID()
        let name = input.name.trimmed
        guard (1...100).contains(name.count) else { throw APIError.invalidField("name", "The name must be 1 to 100 characters long.") }
        let scopes = try Scopes.validated(input.scopes ?? [])
        let (view, key) = try await apiKeys.create(userID: userID, name: name, scopes: scopes)
        audit.record(.apiKeyCreate, outcome: "success", subject: userID.lowercasedString, ["key_id": "\(view.id)", "prefix": "\(view.prefix)"])
        return JSONResponse.make(Created(apiKey: view, key: key), status: .created)
    }

    @Sendable func list(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let userID = try context.requireInteractiveUserID()
        return JSONResponse.make(KeyList(apiKeys: try await apiKeys.list(userID: userID)))
    }

    @Sendable func revoke(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let userID = try context.requireInteractiveUserID()
        let id = try uuidParameter(context, "id", resource: "API key")
        guard try await apiKeys.revoke(id: id, userID: userID) else {
            throw APIError.notFound("You have no active API key with id '\(id.lowercasedString)'.")
        }
        audit.record(.apiKeyRevoke, outcome: "success", subject: userID.lowercasedString, ["key_id": "\(id)"])
        return Response(status: .noContent)
    }
}

import FlotillaKit
import Hummingbird
import Logging
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Admin-only: `PUT /v1/users/{id}/roles` and the service clients of the
/// client-credentials grant (`/v1/clients`).
struct AdminController: Sendable {
    let users: UserRepository
    let clients: ServiceClientRepository
    let audit: AuditLog

    struct RolesInput: Decodable {
        let roles: [String]
    }

    struct ClientInput: Decodable {
        let clientID: String
        let scopes: [String]
        enum CodingKeys: String, CodingKey { case clientID = "client_id", scopes }
    }

    /// A new client with its secret, which is shown only in this answer.
    struct CreatedClient: Encodable {
        let clientID: String
        let clientSecret: String
        let scopes: [String]
        let createdAt: Date

        enum CodingKeys: String, CodingKey {
            case clientID = "client_id", clientSecret = "client_secret", scopes, createdAt = "created_at"
        }
    }

    struct ClientList: Encodable {
        let clients: [ServiceClientRepository.Client]
    }

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        let admin = group.group().add(middleware: RequireRoleMiddleware(anyOf: [.admin]))
        admin.put("users/{id}/roles", use: setRoles)
        admin.post("clients", use: createClient)
        admin.get("clients", use: listClients)
        admin.delete("clients/{clientID}", use: revokeClient)
    }

    @Sendable func setRoles(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(as: RolesInput.self, context: context)
        let id = try uuidParameter(context, "id", resource: "user")
        let principal = try context.requirePrincipal()
        var roles = [Role]()
        for name in input.roles {
            guard let role = Role(rawValue: name) else {
                throw APIError.invalidField("roles", "'\(name.prefix(40))' is not a role; use admin, manager, member or guest.")
            }
            if !roles.contains(role) { roles.append(role) }
        }
        guard !roles.isEmpty else { throw APIError.invalidField("roles", "Give at least one role.") }
        if principal.subject == id.lowercasedString, !roles.contains(.admin) {
            throw APIError(.conflict, code: "cannot_demote_self", message: "You cannot remove your own admin role; ask another admin.")
        }
        guard let user = try await users.setRoles(id: id, roles: roles.sorted()) else {
            throw APIError.notFound("No user with id '\(id.lowercasedString)'.")
        }
        audit.record(.roleChange, outcome: "success", subject: user.id.lowercasedString, ["by": "\(principal.subject)", "roles": "\(user.roles)"])
        return JSONResponse.make(user.view)
    }

    @Sendable func createClient(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(as: ClientInput.self, context: context)
        guard ServiceClientRepository.isValidClientID(input.clientID) else {
            throw APIError.invalidField("client_id", "Use 2 to 63 lower-case letters, digits and dashes, not starting with a dash.")
        }
        let scopes = try Scopes.validated(input.scopes)
        let (client, secret) = try await clients.create(clientID: input.clientID, scopes: scopes)
        audit.record(.clientCreate, outcome: "success", subject: "client:\(client.clientID)", ["by": "\(context.principal?.subject ?? "")"])
        let created = CreatedClient(clientID: client.clientID, clientSecret: secret, scopes: client.scopes, createdAt: client.createdAt)
        return JSONResponse.make(created, status: .created)
    }

    @Sendable func listClients(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        JSONResponse.make(ClientList(clients: try await clients.list()))
    }

    @Sendable func revokeClient(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let clientID = context.parameters.get("clientID") ?? ""
        guard try await clients.revoke(clientID: clientID) else {
            throw APIError.notFound("No active service client '\(clientID.prefix(63))'.")
        }
        return Response(status: .noContent)
    }
}

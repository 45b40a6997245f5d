import FlotillaKit
import Hummingbird
import Logging
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `POST /v1/register`, `GET /v1/me` and `DELETE /v1/me`.
struct AccountController: Sendable {
    let users: UserRepository
    let sessions: SessionRepository
    let hasher: PasswordHasher
    let policy: PasswordPolicy
    let audit: AuditLog
    let bootstrapAdminEmail: String?

    struct Registration: Decodable {
        let email: String
        let password: String
        let name: String
    }

    func addPublicRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.post("register", use: register)
    }

    struct Deletion: Decodable {
        let password: String
    }

    func addAuthenticatedRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.get("me", use: me)
        group.delete("me", use: deleteAccount)
    }

    @Sendable func register(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(as: Registration.self, context: context)
        let email = try EmailAddress.validated(input.email)
        let name = input.name.trimmed
        guard (1...100).contains(name.count) else {
            throw APIError.invalidField("name", "The name must be 1 to 100 characters long.")
        }
        if let problem = policy.problem(with: input.password, email: email, name: name) { throw problem }
        let hash = try await hasher.hash(input.password)
        let roles: [Role] = email == bootstrapAdminEmail ? [.admin] : [.member]
        let user = try await users.create(email: email, name: name, passwordHash: hash, roles: roles)
        audit.record(.register, outcome: "success", subject: user.id.lowercasedString, ["roles": "\(roles.map(\.rawValue))"])
        var response = JSONResponse.make(user.view, status: .created)
        response.headers[.location] = "/v1/me"
        return response
    }

    @Sendable func me(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let id = try context.requireUserID()
        return JSONResponse.make(try await users.tokenHolder(id).view)
    }

    /// Delete one's own account, confirmed with the password: every session ends (its access
    /// tokens are denylisted) and `user.deleted` tells the other services.
    @Sendable func deleteAccount(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(as: Deletion.self, context: context)
        let userID = try context.requireInteractiveUserID()
        let user = try await users.tokenHolder(userID)
        guard try await hasher.verify(input.password, against: user.passwordHash) else {
            audit.record(.accountDelete, outcome: "failure", subject: user.id.lowercasedString)
            throw APIError.invalidField("password", "The password is incorrect; the account was not deleted.")
        }
        let revoked = try await sessions.revokeAll(userID: user.id, reason: "account_deleted")
        _ = try await users.delete(id: user.id)
        audit.record(.accountDelete, outcome: "success", subject: user.id.lowercasedString, ["sessions_revoked": "\(revoked)"])
        return Response(status: .noContent)
    }
}

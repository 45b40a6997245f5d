import FlotillaKit
import Hummingbird
import Logging
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `POST /v1/password` (change), `/v1/password/forgot` and `/v1/password/reset`.
struct PasswordController: Sendable {
    let users: UserRepository
    let sessions: SessionRepository
    let resetTokens: ResetTokenRepository
    let hasher: PasswordHasher
    let policy: PasswordPolicy
    let audit: AuditLog
    /// Log reset codes at debug level, until the notifications service delivers them.
    let devMode: Bool

    struct Change: Decodable {
        let currentPassword: String
        let newPassword: String
        enum CodingKeys: String, CodingKey { case currentPassword = "current_password", newPassword = "new_password" }
    }

    struct Forgot: Decodable {
        let email: String
    }

    struct Reset: Decodable {
        let token: String
        let newPassword: String
        enum CodingKeys: String, CodingKey { case token, newPassword = "new_password" }
    }

    struct Accepted: Encodable {
        let message: String
    }

    func addPublicRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.post("password/forgot", use: forgot)
        group.post("password/reset", use: reset)
    }

    func addAuthenticatedRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.post("password", use: change)
    }

    @Sendable func change(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(as: Change.self, context: context)
        let userID = try context.requireInteractiveUserID()
        let user = try await users.tokenHolder(userID)
        guard try await hasher.verify(input.currentPassword, against: user.passwordHash) else {
            audit.record(.passwordChange, outcome: "failure", subject: user.id.lowercasedString)
            throw APIError.invalidField("current_password", "The current password is incorrect.")
        }
        if let problem = policy.problem(with: input.newPassword, email: user.email, name: user.name, field: "new_password") { throw problem }
        try await users.updatePasswordHash(id: user.id, hash: try await hasher.hash(input.newPassword))
        let keep = context.principal?.sessionID.flatMap { UUID(uuidString: $0) }
        let revoked = try await sessions.revokeAll(userID: user.id, keeping: keep, reason: "password_changed")
        audit.record(.passwordChange, outcome: "success", subject: user.id.lowercasedString, ["sessions_revoked": "\(revoked)"])
        return Response(status: .noContent)
    }

    /// Always 202 with the same message, so it cannot be used to find accounts.
    @Sendable func forgot(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(as: Forgot.self, context: context)
        let email = EmailAddress.normalise(input.email)
        if let user = try await users.find(email: email) {
            let token = try await resetTokens.create(userID: user.id)
            audit.record(.passwordReset, outcome: "requested", subject: user.id.lowercasedString)
            if devMode {
                context.logger.debug("password reset requested; dev mode shows the code here instead of emailing it", metadata: ["dev_reset_code": "\(token.value)"])
            }
        }
        return JSONResponse.make(
            Accepted(message: "If an account exists for this email, instructions to reset the password have been sent."),
            status: .accepted)
    }

    @Sendable func reset(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(as: Reset.self, context: context)
        let hash = try await hasher.hash(input.newPassword)
        let userID = try await users.pool.withTransaction { session -> UUID in
            guard let userID = try await resetTokens.consume(input.token, in: session),
                let user = try await session.query("SELECT \(UserRepository.columns) FROM users WHERE id = $1", [userID]).decode(User.self).first
            else {
                throw APIError(.badRequest, code: "invalid_reset_token", message: "The reset token is unknown, expired or already used; request a new one.")
            }
            // A refused password rolls back, so the token stays usable for a better one.
            if let problem = policy.problem(with: input.newPassword, email: user.email, name: user.name, field: "new_password") { throw problem }
            try await users.updatePasswordHash(id: userID, hash: hash, session: session)
            return userID
        }
        let revoked = try await sessions.revokeAll(userID: userID, reason: "password_reset")
        audit.record(.passwordReset, outcome: "success", subject: userID.lowercasedString, ["sessions_revoked": "\(revoked)"])
        return Response(status: .noContent)
    }
}

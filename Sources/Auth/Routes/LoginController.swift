import FlotillaKit
import Hummingbird
import Logging
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `POST /v1/login`, `/v1/login/mfa`, `/v1/refresh` and `/v1/logout`.
struct LoginController: Sendable {
    let users: UserRepository
    let sessions: SessionRepository
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let challenges: MFAChallenges
    let starter: SessionStarter
    let issuer: TokenIssuer
    let denylist: TokenDenylist
    let audit: AuditLog

    /// The one answer to every failed password login, whatever the reason, so that an
    /// unknown email cannot be told apart from a wrong password.
    static let invalidCredentials = APIError(.unauthorized, code: "invalid_credentials", message: "The email or password is incorrect.")

    struct Credentials: Decodable {
        let email: String
        let password: String
    }

    struct RefreshRequest: Decodable {
        let refreshToken: String
        enum CodingKeys: String, CodingKey { case refreshToken = "refresh_token" }
    }

    func addPublicRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.post("login", use: login)
        group.post("login/mfa", use: MFALogin(controller: self).complete)
        group.post("refresh", use: refresh)
    }

    func addAuthenticatedRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.post("logout", use: logout)
    }

    @Sendable func login(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(as: Credentials.self, context: context)
        let client = request.clientInfo(context)
        let email = EmailAddress.normalise(input.email)
        do {
            try await throttle.checkAllowed(email: email, address: client.address)
        } catch let lockout as LoginThrottle.Lockout {
            audit.record(.login, outcome: "locked", ["scope": "\(lockout.scope)", "client_ip": "\(client.address)"])
            throw Self.tooManyAttempts(lockout)
        }
        let user = try await users.find(email: email)
        let valid: Bool
        if let user {
            valid = try await hasher.verify(input.password, against: user.passwordHash)
        } else {
            try await hasher.verifyDecoy(input.password)
            valid = false
        }
        guard let user, valid else {
            let lockout = try await throttle.recordFailure(email: email, address: client.address)
            audit.record(.login, outcome: "failure", subject: user?.id.lowercasedString, ["client_ip": "\(client.address)", "known_account": "\(user != nil)"])
            if let lockout {
                audit.record(.lockout, outcome: "success", ["scope": "\(lockout.scope)", "seconds": "\(lockout.retryAfter.components.seconds)"])
                // Only an existing account's owner is told; the answer stays the same either way.
                if let user, lockout.scope == "account" {
                    try await users.recordLocked(user, seconds: Int(lockout.retryAfter.components.seconds), clientIP: client.address)
                }
            }
            throw Self.invalidCredentials
        }
        try await throttle.recordSuccess(email: email)
        if hasher.needsRehash(user.passwordHash) {
            try await users.updatePasswordHash(id: user.id, hash: try await hasher.hash(input.password))
        }
        if user.totpEnabled {
            let challenge = try await challenges.create(userID: user.id)
            return JSONResponse.make(MFARequired(mfaToken: challenge.value, expiresIn: Int(challenges.lifetime.components.seconds)))
        }
        return JSONResponse.make(try await starter.start(for: user, client: client, event: .login))
    }

    @Sendable func refresh(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(as: RefreshRequest.self, context: context)
        return JSONResponse.make(try await exchange(refreshToken: input.refreshToken))
    }

    /// Rotate a refresh token into a new pair (shared with the OAuth token endpoint).
    func exchange(refreshToken: String) async throws -> TokenResponse {
        switch try await sessions.rotate(refreshToken) {
        case .rotated(let sessionID, let userID, let next):
            guard let user = try await users.find(id: userID) else { throw Self.invalidGrant }
            let issued = try await issuer.issue(subject: userID.lowercasedString, kind: .user, roles: user.roles, sessionID: sessionID)
            audit.record(.refresh, outcome: "success", subject: userID.lowercasedString, ["session_id": "\(sessionID)"])
            return TokenResponse(issued, refreshToken: next)
        case .reused(let sessionID, let userID):
            audit.record(.refreshReuse, outcome: "session_revoked", subject: userID.lowercasedString, ["session_id": "\(sessionID)"])
            throw APIError(
                .unauthorized, code: "refresh_token_reused",
                message: "This refresh token was already used, so its session has been revoked as a precaution. Log in again.")
        case .invalid:
            audit.record(.refresh, outcome: "failure")
            throw Self.invalidGrant
        }
    }

    static let invalidGrant = APIError(
        .unauthorized, code: "invalid_grant", message: "The refresh token is unknown, expired or revoked. Log in again.")

    @Sendable func logout(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let userID = try context.requireInteractiveUserID()
        let principal = try context.requirePrincipal()
        if let sessionID = principal.sessionID.flatMap({ UUID(uuidString: $0) }) {
            try await sessions.revoke(sessionID, userID: userID, reason: "logout")
        }
        try await denylist.deny(tokenID: principal.tokenID, until: principal.expiresAt)
        audit.record(.logout, outcome: "success", subject: principal.subject, ["session_id": "\(principal.sessionID ?? "")"])
        return Response(status: .noContent)
    }

    static func tooManyAttempts(_ lockout: LoginThrottle.Lockout) -> APIError {
        let seconds = max(1, Int((lockout.retryAfter.seconds).rounded(.up)))
        return APIError(
            .tooManyRequests, code: "too_many_attempts",
            message: "Too many failed sign-ins. Try again in \(seconds) seconds.",
            details: ["retry_after_seconds": .int(seconds)], headers: [.retryAfter: String(seconds)])
    }
}

/// `login` with TOTP on: no tokens yet, only a challenge for `POST /v1/login/mfa`.
struct MFARequired: Encodable {
    let mfaRequired = true
    let mfaToken: String
    let expiresIn: Int

    enum CodingKeys: String, CodingKey {
        case mfaRequired = "mfa_required", mfaToken = "mfa_token", expiresIn = "expires_in"
    }
}

import FlotillaKit
import Logging
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Finishes a successful login: a new session with its first refresh token, and an access
/// token carrying the user's current roles.
struct SessionStarter: Sendable {
    let sessions: SessionRepository
    let issuer: TokenIssuer
    let audit: AuditLog

    func start(for user: User, client: ClientInfo, event: AuditLog.Event) async throws -> TokenResponse {
        let (sessionID, refreshToken) = try await sessions.create(userID: user.id, userAgent: client.userAgent, clientIP: client.address)
        let issued = try await issuer.issue(subject: user.id.lowercasedString, kind: .user, roles: user.roles, sessionID: sessionID)
        audit.record(event, outcome: "success", subject: user.id.lowercasedString, ["session_id": "\(sessionID)", "client_ip": "\(client.address)"])
        return TokenResponse(issued, refreshToken: refreshToken)
    }
}

/// Who is at the other end of a request, for sessions, throttling and audit lines.
struct ClientInfo: Sendable {
    /// The peer's IP address (without port).
    let address: String
    let userAgent: String?

    init(address: String, userAgent: String?) {
        self.address = address
        self.userAgent = userAgent
    }
}

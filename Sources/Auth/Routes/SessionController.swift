import FlotillaKit
import Hummingbird
import Logging
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `GET /v1/sessions` and `DELETE /v1/sessions/{id}`.
struct SessionController: Sendable {
    let sessions: SessionRepository
    let audit: AuditLog

    struct SessionList: Encodable {
        let sessions: [SessionView]
    }

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.get("sessions", use: list)
        group.delete("sessions/{id}", use: revoke)
    }

    @Sendable func list(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let userID = try context.requireInteractiveUserID()
        let current = context.principal?.sessionID
        let views = try await sessions.active(userID: userID).map { view in
            var view = view
            view.current = view.id == current
            return view
        }
        return JSONResponse.make(SessionList(sessions: views))
    }

    @Sendable func revoke(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let userID = try context.requireInteractiveUserID()
        let sessionID = try uuidParameter(context, "id", resource: "session")
        guard try await sessions.revoke(sessionID, userID: userID, reason: "revoked_by_user") else {
            throw APIError.notFound("You have no active session with id '\(sessionID.lowercasedString)'.")
        }
        audit.record(.sessionRevoked, outcome: "success", subject: userID.lowercasedString, ["session_id": "\(sessionID)"])
        return Response(status: .noContent)
    }
}

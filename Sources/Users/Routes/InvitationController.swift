import FlotillaKit
import Hummingbird
import Prometheus
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `POST/GET /organizations/{slug}/invitations` and `DELETE .../invitations/{id}` (admins),
/// and `POST /invitations/accept|decline` with `{token}` (the invited person; the token
/// travels in the body, never in a URL that access logs keep).
struct InvitationController: Sendable {
    let invitations: InvitationRepository
    let access: OrganizationAccess
    let metrics: UsersMetrics

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.post("/organizations/{slug}/invitations", use: invite)
        group.get("/organizations/{slug}/invitations", use: pending)
        group.delete("/organizations/{slug}/invitations/{id}", use: revoke)
        group.post("/invitations/accept", use: accept)
        group.post("/invitations/decline", use: decline)
    }

    /// `{email, role?}` (role defaults to `member`); the reply carries the token, once.
    @Sendable func invite(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (organization, principal) = try await access.organization(context, needs: .admin)
        var body = try await JSONObjectReader(request, context: context)
        let email = body.string("email", required: true, length: 3...254)
        let role = body.choice("role", in: OrganizationRole.listed)
        let address = email.value.flatMap { try? EmailAddress.validated($0) }
        if email.value != nil && address == nil { body.record("email", "is not a valid email address") }
        try body.validate()
        let invitation = try await invitations.invite(
            address!, role: role.value.flatMap(OrganizationRole.init(rawValue:)) ?? .member, to: organization,
            actor: principal.subject, actorRole: organization.role ?? .guest)
        metrics.invitationsSent.increment()
        return JSONResponse.make(invitation, status: .created)
    }

    @Sendable func pending(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (organization, _) = try await access.organization(context, needs: .admin)
        return JSONResponse.make(["data": try await invitations.pending(in: organization)])
    }

    @Sendable func revoke(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (organization, _) = try await access.organization(context, needs: .admin)
        guard let id = context.parameters.get("id"), UUID(uuidString: id) != nil else { throw APIError.notFound("No such invitation.") }
        try await invitations.revoke(id, in: organization)
        return Response(status: .noContent)
    }

    /// `{token}`: join the organization; the reply is the organization with the caller's role.
    @Sendable func accept(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let organization = try await respond(request, context: context, accept: true)
        metrics.invitationsAccepted.increment()
        return JSONResponse.make(organization)
    }

    /// `{token}`: refuse the invitation.
    @Sendable func decline(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        _ = try await respond(request, context: context, accept: false)
        return Response(status: .noContent)
    }

    private func respond(_ request: Request, context: FlotillaRequestContext, accept: Bool) async throws -> Organization {
        let principal = try context.requirePrincipal()
        var body = try await JSONObjectReader(request, context: context)
        let token = body.string("token", required: true, length: 1...200)
        try body.validate()
        return try await invitations.respond(token: token.value!, accept: accept, user: principal.subject)
    }
}

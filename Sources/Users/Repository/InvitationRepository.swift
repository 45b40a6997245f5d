import FlotillaKit
import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Invitations to organizations: one pending per address (re-inviting replaces it), accepted
/// or declined once by the account whose profile has the invited email, before it expires.
struct InvitationRepository: Sendable {
    let pool: PostgresPool
    /// How long a new invitation stays valid.
    let lifetime: Duration

    static let columns = """
        i.id::text AS id, o.slug AS organization, i.email, i.role, i.invited_by, i.status, i.expires_at, i.created_at
        """

    /// Invite `email` to `organization` with `role` as `actor` (whose role is `actorRole`):
    /// the pending invitation to that address, if any, is replaced. The reply carries the token.
    func invite(_ email: String, role: OrganizationRole, to organization: Organization, actor: String, actorRole: OrganizationRole) async throws -> Invitation {
        guard actorRole >= .admin else { throw APIError.forbidden("Only organization admins and owners invite.") }
        guard role != .owner || actorRole == .owner else { throw APIError.forbidden("Only owners invite owners.") }
        let (token, hash) = InvitationToken.make()
        return try await pool.withTransaction { session in
            let members = try await session.query(
                """
                SELECT 1 FROM organization_members m JOIN profiles p ON p.user_id = m.user_id
                WHERE m.organization_id = $1 AND lower(p.email) = lower($2)
                """, [organization.id, email])
            guard members.rows.isEmpty else {
                throw APIError(.conflict, code: "already_member", message: "\(email) is already a member of \(organization.slug).")
            }
            try await session.query(
                "UPDATE invitations SET status = 'replaced', responded_at = now() WHERE organization_id = $1 AND lower(email) = lower($2) AND status = 'pending'",
                [organization.id, email])
            var invitation = try await session.query(
                """
                WITH i AS (
                    INSERT INTO invitations (id, organization_id, email, role, token_sha256, invited_by, expires_at)
                    VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7)) RETURNING *
                )
                SELECT \(Self.columns) FROM i JOIN organizations o ON o.id = i.organization_id
                """, [UUID().lowercasedString, organization.id, email, role.rawValue, hash, actor, lifetime.seconds]
            ).decode(Invitation.self)[0]
            invitation.token = token
            return invitation
        }
    }

    /// The organization's pending invitations, newest first (expired ones included, marked by `expires_at`).
    func pending(in organization: Organization) async throws -> [Invitation] {
        try await pool.query(
            """
            SELECT \(Self.columns) FROM invitations i JOIN organizations o ON o.id = i.organization_id
            WHERE i.organization_id = $1 AND i.status = 'pending' ORDER BY i.created_at DESC
            """, [organization.id]
        ).decode(Invitation.self)
    }

    /// Revoke pending invitation `id`; 404 when the organization has no such invitation, 409 when it is closed.
    func revoke(_ id: String, in organization: Organization) async throws {
        try await pool.withTransaction { session in
            guard let row = try await session.query(
                "SELECT status FROM invitations WHERE id = $1::uuid AND organization_id = $2 FOR UPDATE", [id, organization.id]
            ).rows.first else { throw APIError.notFound("No invitation \(id) in \(organization.slug).") }
            let status = try row.decode("status", as: String.self)
            guard status == "pending" else {
                throw APIError(.conflict, code: "invitation_closed", message: "The invitation is already \(status); nothing to revoke.")
            }
            try await session.query("UPDATE invitations SET status = 'revoked', responded_at = now() WHERE id = $1::uuid", [id])
        }
    }

    /// Accept (or decline) the invitation `token` as `user`: it must be pending, unexpired and
    /// addressed to the email of `user`'s profile. Accepting makes them a member (kept as they
    /// are when they already were). Returns the organization with the caller's role.
    func respond(token: String, accept: Bool, user: String) async throws -> Organization {
        try await pool.withTransaction { session in
            guard InvitationToken.isPlausible(token), let row = try await session.query(
                """
                SELECT i.id::text AS id, i.organization_id::text AS organization_id, i.email, i.role, i.status, i.expires_at < now() AS expired,
                       (SELECT lower(p.email) = lower(i.email) FROM profiles p WHERE p.user_id = $2 AND p.deactivated_at IS NULL) AS same_email
                FROM invitations i WHERE i.token_sha256 = $1 FOR UPDATE
                """, [InvitationToken.sha256(token), user]
            ).rows.first else { throw APIError.notFound("No such invitation; check the link you were sent.") }
            let status = try row.decode("status", as: String.self)
            guard status == "pending" else {
                throw APIError(.gone, code: "invitation_used", message: "This invitation was \(status) already; ask for a new one.")
            }
            guard try !row.decode("expired", as: Bool.self) else {
                throw APIError(.gone, code: "invitation_expired", message: "This invitation has expired; ask an admin of the organization to invite you again.")
            }
            guard let sameEmail = try row.decode("same_email", as: Bool?.self) else { throw ProfileRepository.notYet }
            guard sameEmail else {
                throw APIError(
                    .forbidden, code: "wrong_account",
                    message: "This invitation was sent to another email address than your account's; sign in with the invited account.")
            }
            let invitation = try row.decode("id", as: String.self)
            let organizationID = try row.decode("organization_id", as: String.self)
            try await session.query(
                "UPDATE invitations SET status = $2, responded_at = now(), accepted_by = $3 WHERE id = $1",
                [invitation, accept ? "accepted" : "declined", accept ? user : nil])
            var organization = try await session.query(
                "SELECT \(OrganizationRepository.columns) FROM organizations o WHERE o.id = $1", [organizationID]
            ).decode(Organization.self)[0]
            if accept {
                let role = try row.decode("role", as: String.self)
                let joined = try await session.query(
                    "INSERT INTO organization_members (organization_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    [organizationID, user, role])
                if joined.affectedRows == 1 {
                    try await session.recordMembershipEvent(
                        "organization.member_added", organization, user: user, role: OrganizationRole(rawValue: role)!, actor: user,
                        extra: ["invitation_id": .string(invitation)])
                }
            }
            organization.role = try await session.query(
                "SELECT role FROM organization_members WHERE organization_id = $1 AND user_id = $2", [organizationID, user]
            ).rows.first.map { OrganizationRole(rawValue: try $0.decode("role", as: String.self)) } ?? nil
            return organization
        }
    }
}

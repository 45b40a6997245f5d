import FlotillaKit

/// An organization's members. Every change runs with the organization row locked, so two
/// concurrent changes cannot together remove its last owner, and is checked by the kit's
/// ``MembershipRules`` on the organization ladder. Members join through invitations
/// (``InvitationRepository``).
struct MembershipRepository: Sendable {
    let pool: PostgresPool

    static let rules = MembershipRules<OrganizationRole>(group: "organization", transferRoute: "POST /organizations/{slug}/transfer")
    static let tables = MembershipTables(groups: "organizations", members: "organization_members", groupColumn: "organization_id")

    /// The members, owners first, with their handles and names.
    func members(of organization: Organization) async throws -> [OrganizationMember] {
        try await pool.query(
            """
            SELECT m.user_id, m.role, p.handle, p.display_name, m.joined_at FROM organization_members m
            LEFT JOIN profiles p ON p.user_id = m.user_id WHERE m.organization_id = $1
            ORDER BY array_position(ARRAY['owner', 'admin', 'member', 'guest'], m.role), m.joined_at, m.user_id
            """, [organization.id]
        ).decode(OrganizationMember.self)
    }

    /// Give `target` the role `role`, or remove them with nil; nil after a removal.
    func change(_ target: String, to role: OrganizationRole?, in organization: Organization, actor: String) async throws -> OrganizationMember? {
        try await pool.withTransaction { session in
            let snapshot = try await session.lockMembership(Self.tables, group: organization.id, actor: actor, target: target, as: OrganizationRole.self)
            let (actorRole, owners, current) = (snapshot.actor, snapshot.owners, snapshot.target)
            guard let actorRole else { throw OrganizationAccess.notFound(organization.slug) }
            guard let current else { throw APIError.notFound("\(target) is not a member of \(organization.slug).") }
            let change: MembershipRules<OrganizationRole>.Change = role.map { .setRole(from: current, to: $0) } ?? .remove(current)
            if let refusal = Self.rules.refusal(actor: actor, actorRole: actorRole, target: target, change: change, owners: owners) {
                throw refusal
            }
            guard let role else {
                try await session.query("DELETE FROM organization_members WHERE organization_id = $1 AND user_id = $2", [organization.id, target])
                try await session.recordMembershipEvent(
                    "organization.member_removed", organization, user: target, role: current, actor: actor,
                    extra: ["reason": .string(actor == target ? "left" : "removed")])
                return nil
            }
            try await session.query("UPDATE organization_members SET role = $3 WHERE organization_id = $1 AND user_id = $2", [organization.id, target, role.rawValue])
            if role != current {
                try await session.recordMembershipEvent(
                    "organization.member_role_changed", organization, user: target, role: role, actor: actor, extra: ["old_role": .string(current.rawValue)])
            }
            return try await Self.member(target, of: organization.id, in: session)
        }
    }

    /// Make `target` (a member) an owner; the caller `actor` (an owner) becomes an admin.
    func transferOwnership(of organization: Organization, from actor: String, to target: String) async throws {
        try await pool.withTransaction { session in
            let snapshot = try await session.lockMembership(Self.tables, group: organization.id, actor: actor, target: target, as: OrganizationRole.self)
            let (actorRole, current) = (snapshot.actor, snapshot.target)
            guard actorRole == .owner else { throw APIError.forbidden("Only an owner transfers ownership.") }
            guard let current else { throw APIError.invalidField("user_id", "\(target) is not a member of \(organization.slug); invite them first.") }
            guard target != actor else { throw APIError.invalidField("user_id", "You already own \(organization.slug).") }
            try await session.query(
                "UPDATE organization_members SET role = CASE user_id WHEN $2 THEN 'owner' ELSE 'admin' END WHERE organization_id = $1 AND user_id IN ($2, $3)",
                [organization.id, target, actor])
            if current != .owner {
                try await session.recordMembershipEvent(
                    "organization.member_role_changed", organization, user: target, role: .owner, actor: actor, extra: ["old_role": .string(current.rawValue)])
            }
            try await session.recordMembershipEvent(
                "organization.member_role_changed", organization, user: actor, role: .admin, actor: actor, extra: ["old_role": "owner"])
        }
    }

    /// One member, read inside `session`.
    static func member(_ user: String, of organization: String, in session: PostgresSession) async throws -> OrganizationMember {
        try await session.query(
            """
            SELECT m.user_id, m.role, p.handle, p.display_name, m.joined_at FROM organization_members m
            LEFT JOIN profiles p ON p.user_id = m.user_id WHERE m.organization_id = $1 AND m.user_id = $2
            """, [organization, user]
        ).decode(OrganizationMember.self)[0]
    }
}

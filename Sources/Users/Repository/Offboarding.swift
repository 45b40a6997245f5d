import FlotillaKit
import HTTPTypes

/// People leaving. Deactivating (`POST /users/{id}/deactivate`) keeps the profile (history
/// keeps its names) but marks it deactivated so it no longer resolves for mentions; every
/// membership goes (teams with it); `organization.member_removed` per organization and
/// `user.deactivated` tell the fleet (projects removes them, tasks unassigns them). It is
/// refused while they are the only owner of an organization. An account deleted in auth
/// (`user.deleted`) cannot be refused: its organizations pass to their next member, empty ones
/// go, and the profile is anonymised.
struct Offboarding: Sendable {
    let pool: PostgresPool

    /// Deactivate `user` as `actor`; the profile afterwards. Deactivating twice changes nothing.
    func deactivate(_ user: String, actor: String) async throws -> Profile {
        try await pool.withTransaction { session in
            guard let profile = try await Self.lockProfile(user, in: session) else { throw APIError.notFound("No user \(user).") }
            guard profile.deactivatedAt == nil else { return profile }
            let soleOwner = try await Self.solelyOwned(by: user, in: session).map(\.slug)
            guard soleOwner.isEmpty else {
                throw APIError(
                    .conflict, code: "last_owner",
                    message: "\(user) is the only owner of \(soleOwner.joined(separator: ", ")); transfer ownership first.",
                    details: ["organizations": .array(soleOwner.map(JSONValue.string))])
            }
            return try await Self.leave(profile, reason: "deactivated", actor: actor, in: session)
        }
    }

    /// auth deleted `user`'s account: hand over or drop what they alone owned, leave
    /// everything, and anonymise the profile (its handle is freed), in `session`.
    static func forget(_ user: String, in session: PostgresSession) async throws {
        guard let profile = try await lockProfile(user, in: session) else { return }
        for organization in try await solelyOwned(by: user, in: session) {
            switch try await session.handOverOwnership(
                MembershipRepository.tables, group: organization.id, from: user, joinedColumn: "joined_at", as: OrganizationRole.self)
            {
            case .promoted(let heir, let held):
                try await session.recordMembershipEvent(
                    "organization.member_role_changed", organization, user: heir, role: .owner, actor: user, extra: ["old_role": .string(held.rawValue)])
            case .nobodyLeft:
                try await session.query("DELETE FROM organizations WHERE id = $1", [organization.id])
            case .notNeeded:
                break
            }
        }
        if profile.deactivatedAt == nil { _ = try await leave(profile, reason: "deleted", actor: user, in: session) }
        try await session.query(
            """
            UPDATE profiles SET handle = 'deleted-' || substr(md5(user_id), 1, 12), display_name = 'Deleted user', email = '', avatar_url = NULL,
                bio = NULL, preferences = '{}', updated_at = now() WHERE user_id = $1
            """, [user])
    }

    private static func lockProfile(_ user: String, in session: PostgresSession) async throws -> Profile? {
        try await session.query("SELECT \(ProfileRepository.columns) FROM profiles WHERE user_id = $1 FOR UPDATE", [user]).decode(Profile.self).first
    }

    /// The organizations `user` is the only owner of, each locked.
    private static func solelyOwned(by user: String, in session: PostgresSession) async throws -> [Organization] {
        try await session.query(
            """
            SELECT \(OrganizationRepository.columns) FROM organizations o
            JOIN organization_members m ON m.organization_id = o.id AND m.user_id = $1 AND m.role = 'owner'
            WHERE NOT EXISTS (SELECT 1 FROM organization_members x WHERE x.organization_id = o.id AND x.role = 'owner' AND x.user_id <> $1)
            ORDER BY o.slug FOR UPDATE OF o
            """, [user]
        ).decode(Organization.self)
    }

    /// Remove every membership of `profile`'s person, mark the profile deactivated, and tell the fleet.
    private static func leave(_ profile: Profile, reason: String, actor: String, in session: PostgresSession) async throws -> Profile {
        let user = profile.userID
        let removed = try await session.query(
            """
            WITH gone AS (DELETE FROM organization_members WHERE user_id = $1 RETURNING organization_id, role)
            SELECT \(OrganizationRepository.columns), gone.role FROM gone JOIN organizations o ON o.id = gone.organization_id ORDER BY o.slug
            """, [user]
        ).decode(Organization.self)
        let deactivated = try await session.query(
            "UPDATE profiles SET deactivated_at = now(), updated_at = now() WHERE user_id = $1 RETURNING \(ProfileRepository.columns)", [user]
        ).decode(Profile.self)[0]
        var events = removed.map { organization in
            OutboxEvent.membership(
                "organization.member_removed", organization, user: user, role: organization.role ?? .member, actor: actor, extra: ["reason": .string(reason)])
        }
        events.append(OutboxEvent(
            "user.deactivated", aggregate: "user", id: user, actor: actor,
            data: ["user_id": .string(user), "handle": .string(profile.handle), "organizations": .array(removed.map { .string($0.slug) })]))
        try await session.recordEvents(events)
        return deactivated
    }
}

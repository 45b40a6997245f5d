import FlotillaKit
import HTTPTypes

/// Deactivating a person: their profile stays (history keeps its names) but is marked
/// deactivated and no longer resolves for mentions; every membership goes (teams with it);
/// `organization.member_removed` per organization and `user.deactivated` tell the fleet (tasks
/// unassigns them). Refused while they are the last owner of an organization.
struct Offboarding: Sendable {
    let pool: PostgresPool

    /// Deactivate `user` as `actor`; the profile afterwards. Deactivating twice changes nothing.
    func deactivate(_ user: String, actor: String) async throws -> Profile {
        try await pool.withTransaction { session in
            guard let profile = try await session.query(
                "SELECT \(ProfileRepository.columns) FROM profiles WHERE user_id = $1 FOR UPDATE", [user]
            ).decode(Profile.self).first else { throw APIError.notFound("No user \(user).") }
            guard profile.deactivatedAt == nil else { return profile }
            // Organizations where they are the only owner, with every such organization locked first.
            let soleOwner = try await session.query(
                """
                SELECT o.slug FROM organizations o JOIN organization_members m ON m.organization_id = o.id AND m.user_id = $1 AND m.role = 'owner'
                WHERE NOT EXISTS (SELECT 1 FROM organization_members x WHERE x.organization_id = o.id AND x.role = 'owner' AND x.user_id <> $1)
                ORDER BY o.slug FOR UPDATE OF o
                """, [user]
            ).rows.map { try $0.decode("slug", as: String.self) }
            guard soleOwner.isEmpty else {
                throw APIError(
                    .conflict, code: "last_owner",
                    message: "\(user) is the only owner of \(soleOwner.joined(separator: ", ")); transfer ownership first.",
                    details: ["organizations": .array(soleOwner.map(JSONValue.string))])
            }
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
                    "organization.member_removed", organization, user: user, role: organization.role ?? .member, actor: actor, extra: ["reason": "deactivated"])
            }
            events.append(OutboxEvent(
                "user.deactivated", aggregate: "user", id: user, actor: actor,
                data: ["user_id": .string(user), "handle": .string(profile.handle), "organizations": .array(removed.map { .string($0.slug) })]))
            try await session.recordEvents(events)
            return deactivated
        }
    }
}

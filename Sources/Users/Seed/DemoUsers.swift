import FlotillaKit
import Logging

/// The demo workspace's people (``DemoWorkspace/people``) with profiles, and its organization
/// with members and teams, loaded by `users seed`. Ids are fixed, so running it again changes nothing.
enum DemoUsers {
    static let organizationID = "00000000-0000-4000-b000-000000000001"

    @Sendable static func seed(_ pool: PostgresPool, _ logger: Logger) async throws -> String {
        let organization = DemoWorkspace.organization
        let inserted = try await pool.withTransaction { session -> Bool in
            for person in DemoWorkspace.people {
                try await session.query(
                    "INSERT INTO profiles (user_id, handle, email, display_name, time_zone) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                    [person.user, person.handle, person.email, person.name, person.timeZone])
            }
            let rows = try await session.query(
                "INSERT INTO organizations (id, slug, name, created_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id",
                [organizationID, organization.slug, organization.name, DemoWorkspace.user]).rows
            guard !rows.isEmpty else { return false }
            for member in organization.members {
                try await session.query(
                    "INSERT INTO organization_members (organization_id, user_id, role) VALUES ($1, $2, $3)", [organizationID, member.user, member.role])
            }
            for (index, team) in organization.teams.enumerated() {
                let teamID = "00000000-0000-4000-b001-\(String(index + 1).leftPadded(to: 12))"
                try await session.query(
                    "INSERT INTO teams (id, organization_id, slug, name) VALUES ($1, $2, $3, $4)", [teamID, organizationID, team.slug, team.name])
                for user in team.members {
                    try await session.query("INSERT INTO team_members (team_id, organization_id, user_id) VALUES ($1, $2, $3)", [teamID, organizationID, user])
                }
            }
            return true
        }
        let message = inserted
            ? "seeded \(DemoWorkspace.people.count) demo profiles and the organization \(organization.slug) with \(organization.teams.count) teams"
            : "demo profiles and organization already present"
        logger.info("\(message)")
        return message
    }
}

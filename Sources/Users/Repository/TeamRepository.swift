import FlotillaKit
import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Teams inside an organization and their members, who must be members of the organization
/// (a foreign key to its memberships makes it so, and leaving it leaves its teams).
struct TeamRepository: Sendable {
    let pool: PostgresPool

    static let columns = """
        t.id::text AS id, t.slug, t.name, t.description, t.created_at,
        (SELECT count(*)::int FROM team_members tm WHERE tm.team_id = t.id) AS member_count
        """

    /// 409 `slug_taken` when the organization has a team with that slug.
    func create(in organization: Organization, slug: String, name: String, description: String?) async throws -> Team {
        do {
            return try await pool.query(
                "INSERT INTO teams AS t (id, organization_id, slug, name, description) VALUES ($1, $2, $3, $4, $5) RETURNING \(Self.columns)",
                [UUID().lowercasedString, organization.id, slug, name, description]
            ).decode(Team.self)[0]
        } catch let error as PostgresError where error.sqlState == PostgresError.SQLState.uniqueViolation {
            throw APIError(.conflict, code: "slug_taken", message: "\(organization.slug) already has a team '\(slug)'; choose another slug.")
        }
    }

    /// The organization's teams by name, each with its member count, in one statement.
    func teams(of organization: Organization) async throws -> [Team] {
        try await pool.query("SELECT \(Self.columns) FROM teams t WHERE t.organization_id = $1 ORDER BY t.name, t.slug", [organization.id]).decode(Team.self)
    }

    func find(_ slug: String, in organization: Organization) async throws -> Team? {
        try await pool.query("SELECT \(Self.columns) FROM teams t WHERE t.organization_id = $1 AND t.slug = $2", [organization.id, slug]).decode(Team.self).first
    }

    /// Apply the fields present; the slug never changes.
    func update(_ team: Team, name: String?, description: Patch<String>) async throws -> Team {
        try await pool.query(
            """
            UPDATE teams t SET name = coalesce($2, name), description = CASE WHEN $3 THEN $4 ELSE description END
            WHERE id = $1 RETURNING \(Self.columns)
            """, [team.id, name, description.isPresent, description.value]
        ).decode(Team.self)[0]
    }

    func delete(_ team: Team) async throws {
        try await pool.query("DELETE FROM teams WHERE id = $1", [team.id])
    }

    /// The team's members with their organization roles and names.
    func members(of team: Team) async throws -> [OrganizationMember] {
        try await pool.query(
            """
            SELECT tm.user_id, m.role, p.handle, p.display_name, tm.added_at AS joined_at FROM team_members tm
            JOIN organization_members m ON m.organization_id = tm.organization_id AND m.user_id = tm.user_id
            LEFT JOIN profiles p ON p.user_id = tm.user_id WHERE tm.team_id = $1 ORDER BY p.handle, tm.user_id
            """, [team.id]
        ).decode(OrganizationMember.self)
    }

    /// Add `user` (idempotent: true when newly added); 400 when they are not in the organization.
    func add(_ user: String, to team: Team, in organization: Organization) async throws -> Bool {
        do {
            return try await pool.query(
                "INSERT INTO team_members (team_id, organization_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                [team.id, organization.id, user]
            ).affectedRows == 1
        } catch let error as PostgresError where error.sqlState == PostgresError.SQLState.foreignKeyViolation {
            throw APIError(
                .unprocessableContent, code: "not_an_organization_member",
                message: "\(user) is not a member of \(organization.slug); a team's members must belong to its organization (invite them first).")
        }
    }

    /// Remove `user`; 404 when not in the team.
    func remove(_ user: String, from team: Team) async throws {
        guard try await pool.query("DELETE FROM team_members WHERE team_id = $1 AND user_id = $2", [team.id, user]).affectedRows == 1 else {
            throw APIError.notFound("\(user) is not in team \(team.slug).")
        }
    }
}

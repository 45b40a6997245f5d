import FlotillaKit
import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Organizations in PostgreSQL. Who may do what is decided by the callers (``OrganizationAccess``).
struct OrganizationRepository: Sendable {
    let pool: PostgresPool

    static let columns = "o.id::text AS id, o.slug, o.name, o.created_by, o.created_at, o.updated_at"

    /// Insert the organization with `owner` as its owner (and `organization.member_added`);
    /// 409 `slug_taken`.
    func create(slug: String, name: String, owner: String) async throws -> Organization {
        do {
            return try await pool.withTransaction { session in
                var organization = try await session.query(
                    "INSERT INTO organizations AS o (id, slug, name, created_by) VALUES ($1, $2, $3, $4) RETURNING \(Self.columns)",
                    [UUID().lowercasedString, slug, name, owner]
                ).decode(Organization.self)[0]
                organization.role = .owner
                try await session.query("INSERT INTO organization_members (organization_id, user_id, role) VALUES ($1, $2, 'owner')", [organization.id, owner])
                try await session.recordMembershipEvent("organization.member_added", organization, user: owner, role: .owner, actor: owner)
                return organization
            }
        } catch let error as PostgresError where error.sqlState == PostgresError.SQLState.uniqueViolation {
            throw APIError(.conflict, code: "slug_taken", message: "The organization slug '\(slug)' is taken; choose another.")
        }
    }

    /// The organization `slug` with `user`'s role in it (nil role when not a member).
    func find(slug: String, user: String) async throws -> Organization? {
        try await pool.query(
            """
            SELECT \(Self.columns), m.role FROM organizations o
            LEFT JOIN organization_members m ON m.organization_id = o.id AND m.user_id = $2 WHERE o.slug = $1
            """, [slug, user]
        ).decode(Organization.self).first
    }

    /// One page of the organizations `user` belongs to, by name.
    func list(user: String, page: PageRequest) async throws -> (rows: [Organization], total: Int) {
        try await pool.page(
            Organization.self, columns: Self.columns + ", m.role", from: "organizations o JOIN organization_members m ON m.organization_id = o.id",
            filter: "WHERE m.user_id = $1", parameters: [user], orderBy: "o.name, o.slug", page: page)
    }

    /// Rename; the slug never changes.
    func rename(_ organization: Organization, to name: String) async throws -> Organization {
        var updated = try await pool.query(
            "UPDATE organizations o SET name = $2, updated_at = now() WHERE id = $1 RETURNING \(Self.columns)", [organization.id, name]
        ).decode(Organization.self)[0]
        updated.role = organization.role
        return updated
    }
}

extension OutboxEvent {
    /// `organization.member_added|removed|role_changed` about `user` in `organization`.
    static func membership(
        _ type: String, _ organization: Organization, user: String, role: OrganizationRole, actor: String, extra: [String: JSONValue] = [:]
    ) -> OutboxEvent {
        var data = extra
        data["organization_id"] = .string(organization.id)
        data["slug"] = .string(organization.slug)
        data["user_id"] = .string(user)
        data["role"] = .string(role.rawValue)
        return OutboxEvent(type, aggregate: "organization", id: organization.id, actor: actor, data: data)
    }
}

extension PostgresSession {
    /// Record ``OutboxEvent/membership(_:_:user:role:actor:extra:)``.
    func recordMembershipEvent(
        _ type: String, _ organization: Organization, user: String, role: OrganizationRole, actor: String, extra: [String: JSONValue] = [:]
    ) async throws {
        try await recordEvents([.membership(type, organization, user: user, role: role, actor: actor, extra: extra)])
    }
}

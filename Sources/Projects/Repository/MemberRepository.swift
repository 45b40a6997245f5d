import FlotillaKit
import HTTPTypes

/// A project's members. Every change runs with the project row locked, so two concurrent
/// changes cannot together remove its last owner, and records a `project.member_*` event
/// (on which the tasks service drops its cached answer for that member).
struct MemberRepository: Sendable {
    let pool: PostgresPool

    static let rules = MembershipRules<ProjectRole>(group: "project", transferRoute: "POST /projects/{key}/transfer")
    static let tables = MembershipTables(groups: "projects", members: "project_members", groupColumn: "project_id")

    static let columns = "user_id, role, added_at"

    func members(project: String) async throws -> [Member] {
        try await pool.query(
            """
            SELECT \(Self.columns) FROM project_members WHERE project_id = $1
            ORDER BY array_position(ARRAY['owner', 'admin', 'member', 'viewer'], role), added_at, user_id
            """, [project]
        ).decode(Member.self)
    }

    /// What a request asks for one membership.
    enum Intent: Sendable {
        case add(ProjectRole), setRole(ProjectRole), remove
    }

    /// Do `intent` to `target` as `actor`, with both roles read inside the transaction and
    /// the change checked by ``MembershipRules``; nil after a removal.
    func apply(_ intent: Intent, to target: String, in project: Project, actor: String) async throws -> Member? {
        try await pool.withTransaction { session in
            let snapshot = try await session.lockMembership(Self.tables, group: project.id, actor: actor, target: target, as: ProjectRole.self)
            let (actorRole, owners, current) = (snapshot.actor, snapshot.owners, snapshot.target)
            guard let actorRole else { throw APIError.notFound("No project '\(project.key)'.") }
            let change: MembershipRules<ProjectRole>.Change
            switch (intent, current) {
            case (.add, .some): throw APIError(.conflict, code: "already_member", message: "\(target) is already a member of \(project.key).")
            case (.setRole, nil), (.remove, nil): throw APIError.notFound("\(target) is not a member of \(project.key).")
            case (.add(let role), nil): change = .add(role)
            case (.setRole(let role), let old?): change = .setRole(from: old, to: role)
            case (.remove, let old?): change = .remove(old)
            }
            if let refusal = Self.rules.refusal(actor: actor, actorRole: actorRole, target: target, change: change, owners: owners) {
                throw refusal
            }
            switch change {
            case .add(let role):
                let member = try await session.query(
                    "INSERT INTO project_members (project_id, user_id, role) VALUES ($1, $2, $3) RETURNING \(Self.columns)",
                    [project.id, target, role.rawValue]
                ).decode(Member.self)[0]
                try await session.recordProjectEvent("project.member_added", project, actor: actor, extra: ["user_id": .string(target), "role": .string(role.rawValue)])
                return member
            case .setRole(let old, let new):
                let member = try await session.query(
                    "UPDATE project_members SET role = $3 WHERE project_id = $1 AND user_id = $2 RETURNING \(Self.columns)",
                    [project.id, target, new.rawValue]
                ).decode(Member.self)[0]
                if old != new {
                    try await session.recordProjectEvent("project.member_role_changed", project, actor: actor, extra: [
                        "user_id": .string(target), "old_role": .string(old.rawValue), "role": .string(new.rawValue),
                    ])
                }
                return member
            case .remove(let old):
                try await session.query("DELETE FROM project_members WHERE project_id = $1 AND user_id = $2", [project.id, target])
                try await session.recordProjectEvent("project.member_removed", project, actor: actor, extra: ["user_id": .string(target), "role": .string(old.rawValue)])
                return nil
            }
        }
    }

    /// Make `target` (a member) the owner; the old owner `actor` becomes an admin.
    func transferOwnership(of project: Project, from actor: String, to target: String) async throws {
        try await pool.withTransaction { session in
            let snapshot = try await session.lockMembership(Self.tables, group: project.id, actor: actor, target: target, as: ProjectRole.self)
            let (actorRole, current) = (snapshot.actor, snapshot.target)
            guard actorRole == .owner else { throw APIError.forbidden("Only an owner transfers ownership.") }
            guard let current else { throw APIError.invalidField("user_id", "\(target) is not a member of \(project.key); add them first.") }
            guard target != actor else { throw APIError.invalidField("user_id", "You already own \(project.key).") }
            try await session.query("UPDATE project_members SET role = 'owner' WHERE project_id = $1 AND user_id = $2", [project.id, target])
            try await session.query("UPDATE project_members SET role = 'admin' WHERE project_id = $1 AND user_id = $2", [project.id, actor])
            try await session.query("UPDATE projects SET owner_id = $2, updated_at = now() WHERE id = $1", [project.id, target])
            if current != .owner {
                try await session.recordProjectEvent("project.member_role_changed", project, actor: actor, extra: [
                    "user_id": .string(target), "old_role": .string(current.rawValue), "role": .string("owner"),
                ])
            }
            try await session.recordProjectEvent("project.member_role_changed", project, actor: actor, extra: [
                "user_id": .string(actor), "old_role": .string("owner"), "role": .string("admin"),
            ])
        }
    }
}

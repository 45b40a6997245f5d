import FlotillaKit

/// A person deactivated in users leaves every project (users' `user.deactivated`): tasks
/// unassigns them on `project.member_removed`, and notifications tells the project's admins,
/// listed in that event. A project they alone own passes to its longest-standing admin (else
/// member) first; one with nobody else keeps them, so it never loses its last owner.
enum DeactivatedMember {
    /// Remove `user` from each of their projects, in `session` (the consumer's transaction).
    static func leaveEveryProject(_ user: String, actor: String?, in session: PostgresSession) async throws {
        let projects = try await session.query(
            """
            SELECT \(ProjectRepository.columns), m.role FROM projects p JOIN project_members m ON m.project_id = p.id AND m.user_id = $1
            ORDER BY p.id FOR UPDATE OF p
            """, [user]
        ).decode(Project.self)
        let actor = actor ?? "users"
        for project in projects {
            if project.role == .owner, !(try await handOver(project, from: user, actor: actor, in: session)) { continue }
            try await session.query("DELETE FROM project_members WHERE project_id = $1 AND user_id = $2", [project.id, user])
            let admins = try await session.query(
                "SELECT user_id FROM project_members WHERE project_id = $1 AND role IN ('owner', 'admin') ORDER BY user_id", [project.id]
            ).rows.map { JSONValue.string(try $0.decode("user_id", as: String.self)) }
            try await session.recordProjectEvent("project.member_removed", project, actor: actor, extra: [
                "user_id": .string(user), "role": .string((project.role ?? .member).rawValue), "reason": "deactivated", "admins": .array(admins),
            ])
        }
    }

    /// Make sure `project` keeps an owner without `user`: true when it has another owner or
    /// one was promoted, false when nobody else is in it.
    private static func handOver(_ project: Project, from user: String, actor: String, in session: PostgresSession) async throws -> Bool {
        switch try await session.handOverOwnership(MemberRepository.tables, group: project.id, from: user, joinedColumn: "added_at", as: ProjectRole.self) {
        case .notNeeded: return true
        case .nobodyLeft: return false
        case .promoted(let heir, let held):
            try await session.query("UPDATE projects SET owner_id = $2, updated_at = now() WHERE id = $1 AND owner_id = $3", [project.id, heir, user])
            try await session.recordProjectEvent("project.member_role_changed", project, actor: actor, extra: [
                "user_id": .string(heir), "old_role": .string(held.rawValue), "role": "owner",
            ])
            return true
        }
    }
}

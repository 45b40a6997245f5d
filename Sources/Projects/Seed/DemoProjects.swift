import FlotillaKit
import Logging

/// The demo workspace's projects (``DemoWorkspace``): WEB and OPS with their members, the
/// standard workflow, labels and a milestone each, loaded by `projects seed`. Ids are fixed,
/// so running it again changes nothing.
enum DemoProjects {
    @Sendable static func seed(_ pool: PostgresPool, _ logger: Logger) async throws -> String {
        var created = 0
        for project in DemoWorkspace.projects {
            let inserted = try await pool.withTransaction { session -> Bool in
                let rows = try await session.query(
                    """
                    INSERT INTO projects (id, key, name, description, owner_id) VALUES ($1, $2, $3, $4, $5)
                    ON CONFLICT DO NOTHING RETURNING id
                    """, [project.id, project.key, project.name, project.description, project.members[0].user]).rows
                guard !rows.isEmpty else { return false }
                for member in project.members {
                    try await session.query(
                        "INSERT INTO project_members (project_id, user_id, role) VALUES ($1, $2, $3)", [project.id, member.user, member.role])
                }
                for (position, state) in DemoWorkspace.states.enumerated() {
                    try await session.query(
                        """
                        INSERT INTO project_states (id, project_id, name, state_group, position, is_default, color)
                        VALUES ($1, $2, $3, $4, $5, $6, $7)
                        """,
                        [project.stateID(position), project.id, state.name, state.group, position, position == DemoWorkspace.defaultState, state.color])
                }
                for (index, label) in DemoWorkspace.labels.enumerated() {
                    try await session.query(
                        "INSERT INTO project_labels (id, project_id, name, color) VALUES ($1, $2, $3, $4)",
                        [project.labelID(index), project.id, label.name, label.color])
                }
                try await session.query(
                    "INSERT INTO milestones (id, project_id, name, due_on) VALUES ($1, $2, 'First release', current_date + 30)",
                    [project.id.replacing("a000", with: "a0f0"), project.id])
                return true
            }
            if inserted { created += 1 }
        }
        let message = created == 0
            ? "demo projects already present"
            : "seeded \(created) demo projects (\(DemoWorkspace.projects.map(\.key).joined(separator: ", "))) for \(DemoWorkspace.user)"
        logger.info("\(message)")
        return message
    }
}

import FlotillaKit
import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Projects in PostgreSQL. Who may do what is decided by the callers (``ProjectAccess``).
struct ProjectRepository: Sendable {
    let pool: PostgresPool

    static let columns = """
        p.id::text AS id, p.key, p.name, p.description, p.owner_id, p.settings, p.archived_at, p.created_at, p.updated_at
        """

    /// What a new project is made of.
    struct NewProject: Sendable {
        let key: String
        let name: String
        let description: String?
        let settings: [String: JSONValue]
        let template: ProjectTemplate
    }

    /// Insert the project with its owner, the template's states and labels, and
    /// `project.created` (which carries the template's starting tasks for the tasks service);
    /// 409 `key_taken` when the key is in use.
    func create(_ new: NewProject, owner: String) async throws -> Project {
        do {
            return try await pool.withTransaction { session in
                let id = UUID().lowercasedString
                var project = try await session.query(
                    """
                    INSERT INTO projects AS p (id, key, name, description, owner_id, settings) VALUES ($1, $2, $3, $4, $5, $6)
                    RETURNING \(Self.columns)
                    """,
                    [id, new.key, new.name, new.description, owner, PostgresJSON(new.settings)]
                ).decode(Project.self)[0]
                project.role = .owner
                try await session.query("INSERT INTO project_members (project_id, user_id, role) VALUES ($1, $2, 'owner')", [id, owner])
                let workflow = WorkflowRepository(pool: pool)
                let states = try await workflow.insertStates(new.template.states, project: id, in: session)
                let labels = try await workflow.insertLabels(new.template.labels, project: id, in: session)
                let startingTasks: [JSONValue] = new.template.tasks.compactMap { task in
                    guard let state = states.first(where: { $0.name == task.state }) else { return nil }
                    return .object([
                        "title": .string(task.title), "state_id": .string(state.id), "state_group": .string(state.group.rawValue),
                        "priority": .string(task.priority),
                        "label_ids": .array(labels.filter { task.labels.contains($0.name) }.map { .string($0.id) }),
                    ])
                }
                try await session.recordProjectEvent("project.created", project, actor: owner, extra: [
                    "owner_id": .string(owner), "name": .string(project.name), "starting_tasks": .array(startingTasks),
                ])
                return project
            }
        } catch let error as PostgresError where error.sqlState == PostgresError.SQLState.uniqueViolation {
            throw APIError(.conflict, code: "key_taken", message: "The project key '\(new.key)' is taken; choose another.")
        }
    }

    /// The project with key `key` and `user`'s role in it (nil when not a member).
    func find(key: String, user: String) async throws -> Project? {
        try await pool.query(
            """
            SELECT \(Self.columns), m.role FROM projects p
            LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = $2 WHERE p.key = $1
            """, [key, user]
        ).decode(Project.self).first
    }

    /// One page of the projects `user` is a member of, by name.
    func list(user: String, archived: Bool?, page: PageRequest) async throws -> (projects: [Project], total: Int) {
        var filter = "WHERE m.user_id = $1"
        if let archived { filter += archived ? " AND p.archived_at IS NOT NULL" : " AND p.archived_at IS NULL" }
        let (projects, total) = try await pool.page(
            Project.self, columns: Self.columns + ", m.role", from: "projects p JOIN project_members m ON m.project_id = p.id",
            filter: filter, parameters: [user], orderBy: "p.name, p.key", page: page)
        return (projects, total)
    }

    /// Apply the fields present; the key never changes.
    func update(_ project: Project, name: Patch<String>, description: Patch<String>, settings: Patch<[String: JSONValue]>) async throws -> Project {
        var assignments = ["updated_at = now()"]
        var parameters: [any PostgresEncodable] = [project.id]
        if let name = name.value {
            parameters.append(name)
            assignments.append("name = $\(parameters.count)")
        }
        switch description {
        case .absent: break
        case .clear: assignments.append("description = NULL")
        case .set(let text):
            parameters.append(text)
            assignments.append("description = $\(parameters.count)")
        }
        if let settings = settings.value {
            parameters.append(PostgresJSON(settings))
            assignments.append("settings = settings || $\(parameters.count)")
        }
        var updated = try await pool.query(
            "UPDATE projects p SET \(assignments.joined(separator: ", ")) WHERE id = $1 RETURNING \(Self.columns)", parameters
        ).decode(Project.self)[0]
        updated.role = project.role
        return updated
    }

    /// Archive (or restore with `archived: false`); `project.archived` when it becomes archived.
    func setArchived(_ project: Project, archived: Bool, actor: String) async throws -> Project {
        try await pool.withTransaction { session in
            let condition = archived ? "archived_at IS NULL" : "archived_at IS NOT NULL"
            guard var updated = try await session.query(
                "UPDATE projects p SET archived_at = \(archived ? "now()" : "NULL"), updated_at = now() WHERE id = $1 AND \(condition) RETURNING \(Self.columns)",
                [project.id]
            ).decode(Project.self).first else { return project }
            updated.role = project.role
            try await session.recordProjectEvent(archived ? "project.archived" : "project.unarchived", updated, actor: actor)
            return updated
        }
    }
}

extension PostgresSession {
    /// Record a `project.*` event about `project`, with `extra` fields beside its id and key.
    func recordProjectEvent(_ type: String, _ project: Project, actor: String, extra: [String: JSONValue] = [:]) async throws {
        var data = extra
        data["project_id"] = .string(project.id)
        data["key"] = .string(project.key)
        try await recordEvent(type, aggregate: "project", id: project.id, actor: actor, data: data)
    }
}

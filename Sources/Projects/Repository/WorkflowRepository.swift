import FlotillaKit
import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A project's workflow states and labels. Every change records `project.workflow_changed`,
/// on which the tasks service drops what it cached about the project.
struct WorkflowRepository: Sendable {
    let pool: PostgresPool

    static let stateColumns = "id::text AS id, name, state_group, position, is_default, color"
    static let labelColumns = "id::text AS id, name, color"

    func states(project: String) async throws -> [WorkflowState] {
        try await pool.query("SELECT \(Self.stateColumns) FROM project_states WHERE project_id = $1 ORDER BY position, name", [project])
            .decode(WorkflowState.self)
    }

    func labels(project: String) async throws -> [Label] {
        try await pool.query("SELECT \(Self.labelColumns) FROM project_labels WHERE project_id = $1 ORDER BY lower(name)", [project])
            .decode(Label.self)
    }

    func insertStates(_ states: [ProjectTemplate.State], project: String, in session: PostgresSession) async throws -> [WorkflowState] {
        var inserted: [WorkflowState] = []
        for (position, state) in states.enumerated() {
            inserted += try await session.query(
                """
                INSERT INTO project_states (id, project_id, name, state_group, position, is_default, color)
                VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING \(Self.stateColumns)
                """,
                [UUID().lowercasedString, project, state.name, state.group.rawValue, position, state.isDefault, state.color]
            ).decode(WorkflowState.self)
        }
        return inserted
    }

    func insertLabels(_ labels: [ProjectTemplate.Label], project: String, in session: PostgresSession) async throws -> [Label] {
        var inserted: [Label] = []
        for label in labels {
            inserted += try await session.query(
                "INSERT INTO project_labels (id, project_id, name, color) VALUES ($1, $2, $3, $4) RETURNING \(Self.labelColumns)",
                [UUID().lowercasedString, project, label.name, label.color]
            ).decode(Label.self)
        }
        return inserted
    }

    /// The changes a request may make to a state.
    struct StateChange: Sendable {
        var name: String?
        var group: StateGroup?
        var color: Patch<String> = .absent
        var position: Int?
        /// Only `true` is meaningful: make this the default (the old default stops being one).
        var makeDefault = false
    }

    /// Add a state (at the end unless `position` is given).
    func createState(project: Project, _ change: StateChange, actor: String) async throws -> WorkflowState {
        try await changingWorkflow(project, actor: actor) { session in
            if change.makeDefault { try await clearDefault(project: project.id, in: session) }
            return try await session.query(
                """
                INSERT INTO project_states (id, project_id, name, state_group, position, is_default, color)
                VALUES ($1, $2, $3, $4, COALESCE($5, (SELECT COALESCE(max(position) + 1, 0) FROM project_states WHERE project_id = $2)), $6, $7)
                RETURNING \(Self.stateColumns)
                """,
                [UUID().lowercasedString, project.id, change.name, change.group?.rawValue, change.position, change.makeDefault, change.color.value]
            ).decode(WorkflowState.self)[0]
        }
    }

    /// Change state `id`; 404 (and nothing changed) when the project has no such state.
    func updateState(_ id: String, project: Project, _ change: StateChange, actor: String) async throws -> WorkflowState {
        try await changingWorkflow(project, actor: actor) { session in
            if change.makeDefault { try await clearDefault(project: project.id, in: session) }
            var assignments: [String] = []
            var parameters: [any PostgresEncodable] = [id, project.id]
            func set(_ column: String, _ value: (any PostgresEncodable)?) {
                guard let value else { return }
                parameters.append(value)
                assignments.append("\(column) = $\(parameters.count)")
            }
            set("name", change.name)
            set("state_group", change.group?.rawValue)
            set("position", change.position)
            if change.makeDefault { assignments.append("is_default = true") }
            switch change.color {
            case .absent: break
            case .clear: assignments.append("color = NULL")
            case .set(let color): set("color", color)
            }
            let sql = assignments.isEmpty
                ? "SELECT \(Self.stateColumns) FROM project_states WHERE id = $1 AND project_id = $2"
                : "UPDATE project_states SET \(assignments.joined(separator: ", ")) WHERE id = $1 AND project_id = $2 RETURNING \(Self.stateColumns)"
            guard let state = try await session.query(sql, parameters).decode(WorkflowState.self).first else { throw Self.noState(id) }
            return state
        }
    }

    /// Delete state `id`: refused (409) for the default state and for a state tasks are in.
    func deleteState(_ id: String, project: Project, actor: String) async throws {
        try await changingWorkflow(project, actor: actor) { session in
            guard let state = try await session.query(
                "SELECT \(Self.stateColumns) FROM project_states WHERE id = $1 AND project_id = $2", [id, project.id]
            ).decode(WorkflowState.self).first else { throw Self.noState(id) }
            if state.isDefault {
                throw APIError(.conflict, code: "default_state", message: "'\(state.name)' is the default state; make another state the default first.")
            }
            let inUse = try await session.query("SELECT count(*)::int AS n FROM task_projection WHERE state_id = $1", [id]).rows[0].decode("n", as: Int.self)
            if inUse > 0 {
                throw APIError(
                    .conflict, code: "state_in_use", message: "\(inUse) task(s) are in '\(state.name)'; move them to another state first.",
                    details: ["tasks": .int(inUse)])
            }
            try await session.query("DELETE FROM project_states WHERE id = $1", [id])
        }
    }

    func createLabel(project: Project, name: String, color: String, actor: String) async throws -> Label {
        try await changingWorkflow(project, actor: actor) { session in
            try await session.query(
                "INSERT INTO project_labels (id, project_id, name, color) VALUES ($1, $2, $3, $4) RETURNING \(Self.labelColumns)",
                [UUID().lowercasedString, project.id, name, color]
            ).decode(Label.self)[0]
        }
    }

    func updateLabel(_ id: String, project: Project, name: String?, color: String?, actor: String) async throws -> Label {
        try await changingWorkflow(project, actor: actor) { session in
            let label = try await session.query(
                """
                UPDATE project_labels SET name = COALESCE($3, name), color = COALESCE($4, color)
                WHERE id = $1 AND project_id = $2 RETURNING \(Self.labelColumns)
                """, [id, project.id, name, color]
            ).decode(Label.self).first
            guard let label else { throw Self.noLabel(id) }
            return label
        }
    }

    func deleteLabel(_ id: String, project: Project, actor: String) async throws {
        try await changingWorkflow(project, actor: actor) { session in
            guard try await session.query("DELETE FROM project_labels WHERE id = $1 AND project_id = $2", [id, project.id]).affectedRows > 0 else {
                throw Self.noLabel(id)
            }
        }
    }

    static func noState(_ id: String) -> APIError { APIError.notFound("No workflow state '\(id.prefix(64))' in this project.") }
    static func noLabel(_ id: String) -> APIError { APIError.notFound("No label '\(id.prefix(64))' in this project.") }

    private func clearDefault(project: String, in session: PostgresSession) async throws {
        try await session.query("UPDATE project_states SET is_default = false WHERE project_id = $1 AND is_default", [project])
    }

    /// Run `change` in a transaction that records `project.workflow_changed`; a name already
    /// used in the project (case-insensitively) is 409 `name_taken`.
    private func changingWorkflow<Value: Sendable>(
        _ project: Project, actor: String, _ change: @Sendable @escaping (PostgresSession) async throws -> Value
    ) async throws -> Value {
        do {
            return try await pool.withTransaction { session in
                let value = try await change(session)
                try await session.recordProjectEvent("project.workflow_changed", project, actor: actor)
                return value
            }
        } catch let error as PostgresError where error.sqlState == PostgresError.SQLState.uniqueViolation {
            throw APIError(.conflict, code: "name_taken", message: "That name is already used in project \(project.key) (names ignore case).")
        }
    }
}

import FlotillaKit
import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A project's milestones (name unique per project regardless of case).
struct MilestoneRepository: Sendable {
    let pool: PostgresPool

    static let columns = "id::text AS id, name, due_on, state"

    func list(project: String) async throws -> [Milestone] {
        try await pool.query(
            "SELECT \(Self.columns) FROM milestones WHERE project_id = $1 ORDER BY due_on NULLS LAST, lower(name)", [project]
        ).decode(Milestone.self)
    }

    func create(project: Project, name: String, dueOn: LocalDate?, state: String) async throws -> Milestone {
        try await uniqueName(project) {
            try await pool.query(
                "INSERT INTO milestones (id, project_id, name, due_on, state) VALUES ($1, $2, $3, $4, $5) RETURNING \(Self.columns)",
                [UUID().lowercasedString, project.id, name, dueOn, state]
            ).decode(Milestone.self)[0]
        }
    }

    /// Apply the fields present; 404 when the project has no milestone `id`.
    func update(_ id: String, project: Project, name: String?, dueOn: Patch<LocalDate>, state: String?) async throws -> Milestone {
        var assignments: [String] = []
        var parameters: [any PostgresEncodable] = [id, project.id]
        if let name {
            parameters.append(name)
            assignments.append("name = $\(parameters.count)")
        }
        switch dueOn {
        case .absent: break
        case .clear: assignments.append("due_on = NULL")
        case .set(let date):
            parameters.append(date)
            assignments.append("due_on = $\(parameters.count)")
        }
        if let state {
            parameters.append(state)
            assignments.append("state = $\(parameters.count)")
        }
        let sql = assignments.isEmpty
            ? "SELECT \(Self.columns) FROM milestones WHERE id = $1 AND project_id = $2"
            : "UPDATE milestones SET \(assignments.joined(separator: ", ")) WHERE id = $1 AND project_id = $2 RETURNING \(Self.columns)"
        let found = try await uniqueName(project) { try await pool.query(sql, parameters).decode(Milestone.self).first }
        guard let found else { throw Self.notFound(id) }
        return found
    }

    func delete(_ id: String, project: Project) async throws {
        guard try await pool.query("DELETE FROM milestones WHERE id = $1 AND project_id = $2", [id, project.id]).affectedRows > 0 else {
            throw Self.notFound(id)
        }
    }

    static func notFound(_ id: String) -> APIError { APIError.notFound("No milestone '\(id.prefix(64))' in this project.") }

    private func uniqueName<Value>(_ project: Project, _ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch let error as PostgresError where error.sqlState == PostgresError.SQLState.uniqueViolation {
            throw APIError(.conflict, code: "name_taken", message: "Project \(project.key) already has a milestone of that name (names ignore case).")
        }
    }
}

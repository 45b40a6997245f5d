import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reading tasks: by reference (id or key) and the activity log. Listing is ``TaskList``.
struct TaskStore: Sendable {
    let pool: PostgresPool

    /// The task `reference` names: a UUID or a key such as `WEB-142`; nil when neither or missing.
    func find(_ reference: String) async throws -> TaskItem? {
        try await find(reference, in: nil)
    }

    /// ``find(_:)`` inside `session`, optionally locking the row (`FOR UPDATE`).
    func find(_ reference: String, in session: PostgresSession?, lock: Bool = false) async throws -> TaskItem? {
        guard let (column, value) = Self.lookup(reference) else { return nil }
        let sql = "SELECT \(TaskItem.columns) FROM tasks t WHERE t.\(column) = $1\(lock ? " FOR UPDATE OF t" : "")"
        if let session { return try await session.query(sql, [value]).decode(TaskItem.self).first }
        return try await pool.query(sql, [value]).decode(TaskItem.self).first
    }

    /// Tasks by id, in one statement.
    func find(ids: [String], in session: PostgresSession) async throws -> [TaskItem] {
        try await session.query(
            "SELECT \(TaskItem.columns) FROM tasks t WHERE t.id = ANY(string_to_array($1, ',')::uuid[])", [ids.joined(separator: ",")]
        ).decode(TaskItem.self)
    }

    /// The column and value a reference is looked up by.
    static func lookup(_ reference: String) -> (column: String, value: String)? {
        if let id = UUID(uuidString: reference) { return ("id", id.lowercasedString) }
        if TaskItem.isKey(reference) { return ("key", reference) }
        return nil
    }

    /// One activity entry.
    struct Activity: Codable, Sendable {
        let id: Int
        let actor: String
        let verb: String
        let field: String?
        let old: JSONValue?
        let new: JSONValue?
        let at: Date

        enum CodingKeys: String, CodingKey {
            case id, actor, verb, field, at
            case old = "old_value", new = "new_value"
        }
    }

    /// The task's activity, oldest first, after entry `after`.
    func activity(task id: String, after: Int, limit: Int) async throws -> [Activity] {
        try await pool.query(
            "SELECT id, actor, verb, field, old_value, new_value, at FROM task_activity WHERE task_id = $1 AND id > $2 ORDER BY id LIMIT $3",
            [id, after, limit]
        ).decode(Activity.self)
    }
}

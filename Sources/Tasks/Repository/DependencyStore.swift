import FlotillaKit
import HTTPTypes

/// Dependencies (`blocks` / `blocked_by`, one per pair, never a cycle) and relations
/// (`relates_to`, `duplicate_of`), kept apart as Plane and OpenProject do: only dependencies
/// constrain anything.
struct DependencyStore: Sendable {
    let pool: PostgresPool

    /// Make `blocker` block `blocked` (both in one project, or both personal tasks of one
    /// owner). 409 `dependency_exists` when it already does; one dependency per pair, so the
    /// reverse of an existing one, like any link that would close a loop, is 409
    /// `dependency_cycle` with the cycle's keys in `details.cycle`.
    func add(blocker: TaskItem, blocked: TaskItem, actor: String) async throws {
        try await pool.withTransaction { session in
            // One writer of a project's dependency graph at a time: two concurrent links
            // could otherwise close a cycle that neither saw.
            try await session.query("SELECT pg_advisory_xact_lock(hashtext('task-dependencies:' || $1))", [blocker.projectID ?? blocker.ownerID])
            let existing = try await session.query(
                "SELECT blocker_id::text AS blocker FROM task_dependencies WHERE (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1)",
                [blocker.id, blocked.id]).rows.first
            if let existing {
                guard try existing.decode("blocker", as: String.self) == blocker.id else {
                    throw Self.cycle([blocked.reference, blocker.reference, blocked.reference], blocker: blocker, blocked: blocked)
                }
                throw APIError(.conflict, code: "dependency_exists", message: "\(blocker.reference) already blocks \(blocked.reference).")
            }
            // Walk from `blocked` along what it blocks; reaching `blocker` closes a cycle.
            let path = try await session.query(
                """
                WITH RECURSIVE walk(task_id, path) AS (
                    SELECT blocked_id, ARRAY[blocker_id, blocked_id] FROM task_dependencies WHERE blocker_id = $1
                  UNION ALL
                    SELECT d.blocked_id, w.path || d.blocked_id FROM task_dependencies d JOIN walk w ON d.blocker_id = w.task_id
                    WHERE NOT d.blocked_id = ANY(w.path)
                )
                SELECT (SELECT string_agg(COALESCE(t.key, t.id::text), ',' ORDER BY p.ordinality)
                        FROM unnest(w.path) WITH ORDINALITY AS p(id, ordinality) JOIN tasks t ON t.id = p.id) AS cycle
                FROM walk w WHERE w.task_id = $2 LIMIT 1
                """, [blocked.id, blocker.id]).rows.first
            if let path {
                throw Self.cycle(try path.decode("cycle", as: String.self).split(separator: ",").map(String.init) + [blocked.reference], blocker: blocker, blocked: blocked)
            }
            try await session.query("INSERT INTO task_dependencies (blocker_id, blocked_id) VALUES ($1, $2)", [blocker.id, blocked.id])
            let recorder = TaskRecorder(session: session, actor: actor)
            try await recorder.activity(blocked.id, "dependency_added", field: "blocked_by", new: .string(blocker.reference))
            try await recorder.activity(blocker.id, "dependency_added", field: "blocks", new: .string(blocked.reference))
        }
    }

    /// 409 `dependency_cycle`; `keys` run from `blocked` round to `blocked` again.
    static func cycle(_ keys: [String], blocker: TaskItem, blocked: TaskItem) -> APIError {
        APIError(
            .conflict, code: "dependency_cycle",
            message: "\(blocker.reference) cannot block \(blocked.reference): that would close the cycle \(keys.joined(separator: " → ")).",
            details: ["cycle": .array(keys.map(JSONValue.string))])
    }

    /// Remove the dependency between the two tasks, whichever way it points.
    func remove(_ task: TaskItem, _ other: TaskItem, actor: String) async throws -> Bool {
        try await pool.withTransaction { session in
            let removed = try await session.query(
                "DELETE FROM task_dependencies WHERE (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1)",
                [task.id, other.id]).affectedRows > 0
            if removed {
                try await TaskRecorder(session: session, actor: actor).activity(task.id, "dependency_removed", field: "dependency", old: .string(other.reference))
            }
            return removed
        }
    }

    /// A task's dependencies and relations, each as `{id, key, title, state_group}`.
    struct Links: Codable, Sendable {
        struct Link: Codable, Sendable {
            let id: String
            let key: String?
            let title: String
            let stateGroup: StateGroup
            let kind: String

            enum CodingKeys: String, CodingKey {
                case id, key, title, kind
                case stateGroup = "state_group"
            }
        }

        var blockedBy: [Link] = []
        var blocks: [Link] = []
        var relatesTo: [Link] = []
        var duplicateOf: [Link] = []
        var duplicatedBy: [Link] = []

        enum CodingKeys: String, CodingKey {
            case blocks
            case blockedBy = "blocked_by", relatesTo = "relates_to", duplicateOf = "duplicate_of", duplicatedBy = "duplicated_by"
        }
    }

    /// Every link of `task`, in one statement.
    func links(of task: String) async throws -> Links {
        let rows = try await pool.query(
            """
            SELECT t.id::text AS id, t.key, t.title, t.state_group, l.kind FROM (
                SELECT blocker_id AS other, 'blocked_by' AS kind FROM task_dependencies WHERE blocked_id = $1
                UNION ALL SELECT blocked_id, 'blocks' FROM task_dependencies WHERE blocker_id = $1
                UNION ALL SELECT related_id, 'relates_to' FROM task_relations WHERE task_id = $1 AND kind = 'relates_to'
                UNION ALL SELECT task_id, 'relates_to' FROM task_relations WHERE related_id = $1 AND kind = 'relates_to'
                UNION ALL SELECT related_id, 'duplicate_of' FROM task_relations WHERE task_id = $1 AND kind = 'duplicate_of'
                UNION ALL SELECT task_id, 'duplicated_by' FROM task_relations WHERE related_id = $1 AND kind = 'duplicate_of'
            ) l JOIN tasks t ON t.id = l.other ORDER BY l.kind, t.key, t.id
            """, [task]
        ).decode(Links.Link.self)
        var links = Links()
        for link in rows {
            switch link.kind {
            case "blocked_by": links.blockedBy.append(link)
            case "blocks": links.blocks.append(link)
            case "relates_to": links.relatesTo.append(link)
            case "duplicate_of": links.duplicateOf.append(link)
            default: links.duplicatedBy.append(link)
            }
        }
        return links
    }

    /// Relate two tasks (`relates_to` is symmetric; `duplicate_of` points at the original).
    /// Adding an existing relation is a no-op (false).
    func relate(_ task: TaskItem, _ other: TaskItem, kind: String, actor: String) async throws -> Bool {
        try await pool.withTransaction { session in
            let (from, to) = kind == "relates_to" && other.id < task.id ? (other.id, task.id) : (task.id, other.id)
            let added = try await session.query(
                "INSERT INTO task_relations (task_id, related_id, kind) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [from, to, kind]
            ).affectedRows > 0
            if added {
                try await TaskRecorder(session: session, actor: actor).activity(task.id, "relation_added", field: kind, new: .string(other.reference))
            }
            return added
        }
    }

    func unrelate(_ task: TaskItem, _ other: TaskItem, kind: String, actor: String) async throws -> Bool {
        try await pool.withTransaction { session in
            let removed = try await session.query(
                """
                DELETE FROM task_relations WHERE kind = $3
                AND ((task_id = $1 AND related_id = $2) OR ($3 = 'relates_to' AND task_id = $2 AND related_id = $1))
                """, [task.id, other.id, kind]
            ).affectedRows > 0
            if removed {
                try await TaskRecorder(session: session, actor: actor).activity(task.id, "relation_removed", field: kind, old: .string(other.reference))
            }
            return removed
        }
    }

    /// The open tasks blocking `task` (their keys), read inside `session`.
    static func openBlockers(of task: String, in session: PostgresSession) async throws -> [String] {
        try await session.query(
            """
            SELECT COALESCE(t.key, t.id::text) AS reference FROM task_dependencies d JOIN tasks t ON t.id = d.blocker_id
            WHERE d.blocked_id = $1 AND t.state_group NOT IN ('completed', 'cancelled') ORDER BY t.key, t.id
            """, [task]
        ).rows.map { try $0.decode("reference", as: String.self) }
    }

    /// Whether making `parent` the parent of `task` would put `task` among its own ancestors.
    static func parentWouldCycle(task: String, parent: String, in session: PostgresSession) async throws -> Bool {
        try await session.query(
            """
            WITH RECURSIVE up(id, depth) AS (
                SELECT $2::uuid, 0
              UNION ALL
                SELECT t.parent_id, up.depth + 1 FROM tasks t JOIN up ON t.id = up.id WHERE t.parent_id IS NOT NULL AND up.depth < 1000
            )
            SELECT 1 FROM up WHERE id = $1::uuid LIMIT 1
            """, [task, parent]
        ).rows.isEmpty == false
    }
}

import FlotillaKit

/// `GET /tasks`: one page in keyset order and the total matching, in two statements whatever
/// the page size (assignees and labels are aggregated in the page's statement).
struct TaskList: Sendable {
    let pool: PostgresPool

    /// Where the list looks: one project's tasks, or (without a project) the caller's
    /// personal tasks and the tasks assigned to them.
    enum Scope: Sendable {
        case project(id: String)
        case mine(user: String)
    }

    func page(_ query: TaskListQuery, scope: Scope) async throws -> TaskPage {
        var conditions: [String] = []
        var parameters: [any PostgresEncodable] = []
        func bind(_ value: any PostgresEncodable) -> String {
            parameters.append(value)
            return "$\(parameters.count)"
        }
        switch scope {
        case .project(let id): conditions.append("t.project_id = \(bind(id))")
        case .mine(let user):
            let me = bind(user)
            conditions.append("((t.project_id IS NULL AND t.owner_id = \(me)) OR EXISTS (SELECT 1 FROM task_assignees a WHERE a.task_id = t.id AND a.user_id = \(me)))")
        }
        if let state = query.stateID { conditions.append("t.state_id = \(bind(state))::uuid") }
        if !query.stateGroups.isEmpty { conditions.append("t.state_group = ANY(string_to_array(\(bind(query.stateGroups.joined(separator: ","))), ','))") }
        if !query.priorities.isEmpty { conditions.append("t.priority = ANY(string_to_array(\(bind(query.priorities.joined(separator: ","))), ','))") }
        switch query.assignee {
        case nil: break
        case "none"?: conditions.append("NOT EXISTS (SELECT 1 FROM task_assignees a WHERE a.task_id = t.id)")
        case let user?: conditions.append("EXISTS (SELECT 1 FROM task_assignees a WHERE a.task_id = t.id AND a.user_id = \(bind(user)))")
        }
        if let label = query.labelID { conditions.append("EXISTS (SELECT 1 FROM task_labels l WHERE l.task_id = t.id AND l.label_id = \(bind(label))::uuid)") }
        if let before = query.dueBefore { conditions.append("t.due_on < \(bind(before))") }
        if let after = query.dueAfter { conditions.append("t.due_on > \(bind(after))") }
        if query.overdue { conditions.append("t.due_on < current_date AND t.state_group NOT IN ('completed', 'cancelled')") }
        switch query.parent {
        case nil: break
        case "none"?: conditions.append("t.parent_id IS NULL")
        case let reference?:
            let (column, value) = TaskStore.lookup(reference) ?? ("id", "00000000-0000-0000-0000-000000000000")
            conditions.append("t.parent_id = (SELECT p.id FROM tasks p WHERE p.\(column) = \(bind(value)))")
        }
        if let text = query.text { conditions.append("t.search @@ websearch_to_tsquery('english', \(bind(text)))") }
        let filter = "WHERE " + conditions.joined(separator: " AND ")
        let filterParameters = parameters

        let keys = query.sort.keys
        let direction = query.sort.descending ? "DESC" : "ASC"
        var pageFilter = filter
        if let cursor = query.cursor {
            let placeholders = zip(cursor.values, keys).map { value, key in "\(bind(value))::\(key.type)" }
            pageFilter += " AND (\(keys.map(\.expression).joined(separator: ", "))) \(query.sort.descending ? "<" : ">") (\(placeholders.joined(separator: ", ")))"
        }
        let sortColumns = keys.enumerated().map { "(\($1.expression))::text AS sort_key_\($0)" }.joined(separator: ", ")
        let order = keys.map { "\($0.expression) \(direction)" }.joined(separator: ", ")
        let rows = try await pool.query(
            "SELECT \(TaskItem.columns), \(sortColumns) FROM tasks t \(pageFilter) ORDER BY \(order) LIMIT \(bind(query.limit + 1))",
            parameters
        ).rows
        let total = try await pool.query("SELECT count(*)::int AS n FROM tasks t \(filter)", filterParameters).rows[0].decode("n", as: Int.self)
        let shown = rows.prefix(query.limit)
        var next: String?
        if rows.count > query.limit, let last = shown.last {
            next = KeysetCursor(sort: query.sort.rawValue, values: try keys.indices.map { try last.decode("sort_key_\($0)", as: String.self) }).token
        }
        return TaskPage(data: try shown.map { try $0.decode(TaskItem.self) }, total: total, nextCursor: next)
    }
}

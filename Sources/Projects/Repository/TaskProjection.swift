import FlotillaKit

/// The tasks service's project tasks as their events describe them: state group, due date
/// and completion, enough for the stats (and to refuse deleting a state tasks are in).
/// Events carry the task as it is after the change and their `occurred_at`; an event older
/// than what is stored is ignored, so redelivery or reordering across replicas cannot move a
/// task back.
struct TaskProjection: Sendable {
    let pool: PostgresPool

    /// Store what `event` (`task.*`) says about its task, in the consumer's transaction.
    static func apply(_ event: EventEnvelope, in session: PostgresSession) async throws {
        guard case .string(let taskID)? = event.data["task_id"] ?? event.data["id"] else { return }
        guard case .string(let projectID)? = event.data["project_id"] else { return }
        if event.type == "task.deleted" {
            try await session.query("DELETE FROM task_projection WHERE task_id = $1", [taskID])
            return
        }
        guard case .string(let group)? = event.data["state_group"], StateGroup(rawValue: group) != nil else { return }
        try await session.query(
            """
            INSERT INTO task_projection (task_id, project_id, state_id, state_group, due_on, completed_at, as_of)
            VALUES ($1, $2, $3, $4, $5::date, $6::timestamptz, $7::timestamptz)
            ON CONFLICT (task_id) DO UPDATE SET state_id = EXCLUDED.state_id, state_group = EXCLUDED.state_group,
                due_on = EXCLUDED.due_on, completed_at = EXCLUDED.completed_at, as_of = EXCLUDED.as_of
            WHERE task_projection.as_of <= EXCLUDED.as_of
            """,
            [taskID, projectID, event.data["state_id"]?.stringValue, group, event.data["due_on"]?.stringValue,
             event.data["completed_at"]?.stringValue, event.occurredAt])
    }

    /// The stats of project `id`, in one statement.
    func stats(project id: String) async throws -> ProjectStats {
        let rows = try await pool.query(
            """
            SELECT state_group, count(*)::int AS n,
                   count(*) FILTER (WHERE due_on < current_date AND state_group NOT IN ('completed', 'cancelled'))::int AS overdue,
                   count(*) FILTER (WHERE completed_at >= date_trunc('week', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')::int AS done_this_week
            FROM task_projection WHERE project_id = $1 GROUP BY state_group
            """, [id]
        ).rows
        var groups = Dictionary(uniqueKeysWithValues: StateGroup.allCases.map { ($0.rawValue, 0) })
        var overdue = 0, completed = 0
        for row in rows {
            groups[try row.decode("state_group", as: String.self)] = try row.decode("n", as: Int.self)
            overdue += try row.decode("overdue", as: Int.self)
            completed += try row.decode("done_this_week", as: Int.self)
        }
        return ProjectStats(total: groups.values.reduce(0, +), byStateGroup: groups, overdue: overdue, completedThisWeek: completed)
    }
}

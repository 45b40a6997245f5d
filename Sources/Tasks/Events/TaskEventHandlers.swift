import FlotillaKit

/// What tasks does with the projects service's events:
/// - `project.created`: create the template's starting tasks, as the owner;
/// - `project.member_*`, `project.workflow_changed`, `project.archived|unarchived`: drop the
///   cached access answers of the project, so a removed member loses access at once;
/// - `project.member_removed`: unassign the former member from the project's tasks.
struct TaskEventHandlers: Sendable {
    let writer: TaskWriter
    let projects: ProjectAccessClient

    static let sources = ["projects"]
    static let invalidating = [
        "project.member_added", "project.member_removed", "project.member_role_changed", "project.workflow_changed",
        "project.archived", "project.unarchived",
    ]

    var handlers: EventHandlers {
        var handlers = EventHandlers()
        handlers.on("project.created") { event, session in
            try await createStartingTasks(event, in: session)
        }
        for type in Self.invalidating {
            handlers.on(type) { event, session in
                let key = try event.text("key")
                if type == "project.member_removed" {
                    try await unassign(try event.text("user_id"), project: try event.text("project_id"), actor: event.actor ?? "projects", in: session)
                }
                await projects.invalidate(project: key)
            }
        }
        return handlers
    }

    private func createStartingTasks(_ event: EventEnvelope, in session: PostgresSession) async throws {
        guard case .array(let starting) = event.data["starting_tasks"] ?? .null, !starting.isEmpty else { return }
        let owner = try event.text("owner_id")
        var states: [ProjectAccessDocument.State] = []
        for case .object(let task) in starting {
            guard let id = task["state_id"]?.stringValue, let group = task["state_group"]?.stringValue.flatMap(StateGroup.init(rawValue:)) else {
                throw MalformedEvent(type: event.type, field: "starting_tasks.state_id")
            }
            if !states.contains(where: { $0.id == id }) { states.append(.init(id: id, name: "", group: group, isDefault: states.isEmpty)) }
        }
        let document = ProjectAccessDocument(
            project: .init(id: try event.text("project_id"), key: try event.text("key"), name: event.optionalText("name") ?? "", archived: false),
            role: .owner, states: states, labels: [], members: [.init(userID: owner, role: .owner)])
        for case .object(let task) in starting {
            var changes = TaskChanges()
            changes.title = task["title"]?.stringValue.map { .set($0) } ?? .absent
            changes.stateID = task["state_id"]?.stringValue.map { .set($0) } ?? .absent
            changes.priority = .set(task["priority"]?.stringValue.flatMap(Priority.init(rawValue:)) ?? .none)
            if case .array(let labels)? = task["label_ids"] { changes.labelIDs = .set(labels.compactMap(\.stringValue)) }
            _ = try await writer.create(changes, origin: .init(), owner: owner, document: document, in: session)
        }
    }

    /// Remove `user` from the assignees of project `project`'s tasks, each change logged
    /// and published like any other.
    private func unassign(_ user: String, project: String, actor: String, in session: PostgresSession) async throws {
        let affected = try await session.query(
            """
            DELETE FROM task_assignees a USING tasks t
            WHERE a.task_id = t.id AND t.project_id = $1 AND a.user_id = $2 RETURNING t.id::text AS id
            """, [project, user]
        ).rows.map { try $0.decode("id", as: String.self) }
        guard !affected.isEmpty else { return }
        try await session.query("UPDATE tasks SET version = version + 1, updated_at = now() WHERE id = ANY(string_to_array($1, ',')::uuid[])", [affected.joined(separator: ",")])
        let recorder = TaskRecorder(session: session, actor: actor)
        for task in try await writer.store.find(ids: affected, in: session) {
            try await recorder.activity(task.id, "updated", field: "assignees", old: .string(user), new: .null)
            try await recorder.event("task.updated", task, extra: ["changed": .array([.string("assignees")])])
        }
    }
}

import FlotillaKit
import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Creating, changing and deleting tasks inside a caller's transaction, so a single route,
/// a bulk update and an event handler share one set of rules: keys from the project's
/// sequence, states from the project's workflow, blocked tasks kept open, sub-task trees
/// without cycles, the activity log, the events, and the next occurrence of a recurring task.
struct TaskWriter: Sendable {
    let store: TaskStore
    let clock: @Sendable () -> Date

    /// Insert a task. `document` is the project's access document (nil for a personal task).
    func create(_ changes: TaskChanges, origin: TaskChanges.Origin, owner: String, document: ProjectAccessDocument?,
                recurrenceOf: String? = nil, in session: PostgresSession) async throws -> TaskItem {
        var number: Int?
        var key: String?
        if let document {
            // The counter row's lock orders concurrent creates; a number is never handed out twice.
            let next = try await session.query(
                """
                INSERT INTO project_sequences (project_id, last_number) VALUES ($1, 1)
                ON CONFLICT (project_id) DO UPDATE SET last_number = project_sequences.last_number + 1 RETURNING last_number
                """, [document.project.id]
            ).rows[0].decode("last_number", as: Int.self)
            (number, key) = (next, "\(document.project.key)-\(next)")
        }
        let state = document.flatMap { document in changes.stateID.value.flatMap(document.state) ?? document.defaultState }
        let group = state?.group ?? changes.stateGroup.value ?? .unstarted
        let parent = try await parentID(changes.parent.value, for: nil, projectID: document?.project.id, owner: owner, in: session)
        let id = UUID().lowercasedString
        try await session.query(
            """
            INSERT INTO tasks (id, project_id, project_key, number, key, owner_id, title, description, state_id, state_group, priority,
                               start_on, due_on, estimate_value, estimate_unit, parent_id, repeat, recurrence_of, completed_at,
                               external_source, external_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                    CASE WHEN $10 = 'completed' THEN now() END, $19, $20)
            """,
            [id, document?.project.id, document?.project.key, number, key, owner,
             changes.title.value, changes.description.value.flatMap { $0.isEmpty ? nil : $0 }, state?.id, group.rawValue,
             (changes.priority.value ?? .none).rawValue, changes.startOn.value, changes.dueOn.value, changes.estimateValue.value,
             changes.estimateUnit.value, parent, changes.repeatRule.value.map { PostgresJSON($0) }, recurrenceOf,
             origin.externalSource, origin.externalID])
        try await replaceAssignees(of: id, with: changes.assignees.value ?? [], in: session)
        try await replaceLabels(of: id, with: changes.labelIDs.value ?? [], in: session)
        guard let task = try await store.find(id, in: session) else { throw APIError.internalError }
        let recorder = TaskRecorder(session: session, actor: owner)
        try await recorder.activity(id, "created")
        try await recorder.event("task.created", task)
        for assignee in task.assignees {
            try await recorder.event("task.assigned", task, extra: ["assignee_id": .string(assignee)])
        }
        return task
    }

    /// Apply `changes` to the task `reference` (locked for the transaction) as `actor`;
    /// `precondition` sees the current task first (the `If-Match` check). Returns the task
    /// unchanged when nothing differs.
    func update(_ reference: String, with changes: TaskChanges, actor: String, document: ProjectAccessDocument?,
                precondition: (TaskItem) throws -> Void = { _ in }, in session: PostgresSession) async throws -> TaskItem {
        guard let current = try await store.find(reference, in: session, lock: true) else { throw TaskAccess.notFound(reference) }
        try precondition(current)
        var next = current
        if let title = changes.title.value { next.title = title }
        switch changes.description {
        case .absent: break
        case .clear: next.description = nil
        case .set(let text): next.description = text.isEmpty ? nil : text
        }
        if let id = changes.stateID.value, let state = document?.state(id) {
            next.stateID = state.id
            next.stateGroup = state.group
        }
        if let group = changes.stateGroup.value, document == nil { next.stateGroup = group }
        if let priority = changes.priority.value { next.priority = priority }
        if let assignees = changes.assignees.value { next.assignees = assignees.sorted() }
        if let labels = changes.labelIDs.value { next.labelIDs = labels.sorted() }
        if changes.startOn.isPresent { next.startOn = changes.startOn.value }
        if changes.dueOn.isPresent { next.dueOn = changes.dueOn.value }
        if changes.estimateValue.isPresent {
            next.estimateValue = changes.estimateValue.value
            next.estimateUnit = changes.estimateUnit.value
        }
        if changes.repeatRule.isPresent { next.repeatRule = changes.repeatRule.value }
        if changes.parent.isPresent {
            next.parentID = try await parentID(changes.parent.value, for: current, projectID: current.projectID, owner: current.ownerID, in: session)
        }
        if let start = next.startOn, let due = next.dueOn, due < start {
            throw APIError.invalidField("due_on", "due_on \(due) would be before start_on \(start).")
        }
        let completing = next.stateGroup == .completed && current.stateGroup != .completed
        let reopening = current.stateGroup == .completed && next.stateGroup != .completed
        if completing {
            let blockers = try await DependencyStore.openBlockers(of: current.id, in: session)
            if !blockers.isEmpty {
                throw APIError(
                    .conflict, code: "blocked",
                    message: "\(current.reference) is blocked by open \(blockers.count == 1 ? "task" : "tasks") \(blockers.joined(separator: ", ")); finish or cancel \(blockers.count == 1 ? "it" : "them") first.",
                    details: ["blockers": .array(blockers.map(JSONValue.string))])
            }
            next.completedAt = clock()
        }
        if reopening { next.completedAt = nil }
        let differences = TaskDifferences.between(current, next)
        guard !differences.isEmpty else { return current }

        try await session.query(
            """
            UPDATE tasks SET title = $2, description = $3, state_id = $4, state_group = $5, priority = $6, start_on = $7, due_on = $8,
                estimate_value = $9, estimate_unit = $10, parent_id = $11, repeat = $12, completed_at = $13,
                version = version + 1, updated_at = now()
            WHERE id = $1
            """,
            [current.id, next.title, next.description, next.stateID, next.stateGroup.rawValue, next.priority.rawValue, next.startOn,
             next.dueOn, next.estimateValue, next.estimateUnit, next.parentID, next.repeatRule.map { PostgresJSON($0) }, next.completedAt])
        if next.assignees != current.assignees { try await replaceAssignees(of: current.id, with: next.assignees, in: session) }
        if next.labelIDs != current.labelIDs { try await replaceLabels(of: current.id, with: next.labelIDs, in: session) }
        guard let updated = try await store.find(current.id, in: session) else { throw TaskAccess.notFound(reference) }

        let recorder = TaskRecorder(session: session, actor: actor)
        for difference in differences {
            try await recorder.activity(current.id, "updated", field: difference.field, old: difference.old, new: difference.new)
        }
        try await recorder.event("task.updated", updated, extra: ["changed": .array(differences.map { .string($0.field) })])
        for assignee in updated.assignees where !current.assignees.contains(assignee) {
            try await recorder.event("task.assigned", updated, extra: ["assignee_id": .string(assignee)])
        }
        if updated.stateID != current.stateID || updated.stateGroup != current.stateGroup {
            try await recorder.event("task.state_changed", updated, extra: [
                "old_state_id": current.stateID.map(JSONValue.string) ?? .null, "old_state_group": .string(current.stateGroup.rawValue),
            ])
        }
        if completing {
            try await recorder.event("task.completed", updated)
            if let rule = updated.repeatRule { try await createNextOccurrence(of: updated, rule: rule, actor: actor, document: document, in: session) }
        }
        if reopening { try await recorder.event("task.reopened", updated) }
        return updated
    }

    /// Delete a task (its sub-tasks keep living, without a parent); the activity log keeps
    /// its history.
    func delete(_ task: TaskItem, actor: String, in session: PostgresSession) async throws {
        guard try await session.query("DELETE FROM tasks WHERE id = $1", [task.id]).affectedRows > 0 else { throw TaskAccess.notFound(task.reference) }
        let recorder = TaskRecorder(session: session, actor: actor)
        try await recorder.activity(task.id, "deleted")
        try await recorder.event("task.deleted", task)
    }

    /// The next occurrence of a completed recurring task: same fields, the project's default
    /// state, dates moved on by the rule. `recurrence_of` is unique, so however many
    /// completions race (or a task is reopened and completed again), only one is made.
    private func createNextOccurrence(of task: TaskItem, rule: Recurrence, actor: String, document: ProjectAccessDocument?, in session: PostgresSession) async throws {
        let exists = try await session.query("SELECT 1 FROM tasks WHERE recurrence_of = $1", [task.id]).rows
        guard exists.isEmpty else { return }
        let today = ZoneInfo.utc.localDate(at: Int64(clock().timeIntervalSince1970))
        let dates = rule.nextDates(start: task.startOn, due: task.dueOn, completedOn: today)
        var changes = TaskChanges()
        changes.title = .set(task.title)
        changes.description = task.description.map { .set($0) } ?? .absent
        changes.priority = .set(task.priority)
        changes.assignees = .set(task.assignees)
        changes.labelIDs = .set(task.labelIDs)
        changes.startOn = dates.start.map { .set($0) } ?? .absent
        changes.dueOn = .set(dates.due)
        changes.estimateValue = task.estimateValue.map { .set($0) } ?? .absent
        changes.estimateUnit = task.estimateUnit.map { .set($0) } ?? .absent
        changes.repeatRule = .set(rule)
        changes.parent = task.parentID.map { .set($0) } ?? .absent
        if document == nil { changes.stateGroup = .set(.unstarted) }
        _ = try await create(changes, origin: .init(), owner: task.ownerID, document: document, recurrenceOf: task.id, in: session)
    }

    /// The id of the parent `reference` names: a task in the same project (or a personal
    /// task of the same owner), never `task` itself or one of its descendants.
    private func parentID(_ reference: String?, for task: TaskItem?, projectID: String?, owner: String, in session: PostgresSession) async throws -> String? {
        guard let reference else { return nil }
        guard let parent = try await store.find(reference, in: session),
            parent.projectID == projectID, projectID != nil || parent.ownerID == owner
        else {
            throw APIError.invalidField("parent", "'\(reference.prefix(64))' is not a task of the same project.")
        }
        if let task, try await DependencyStore.parentWouldCycle(task: task.id, parent: parent.id, in: session) {
            throw APIError(
                .conflict, code: "parent_cycle",
                message: "\(parent.reference) is \(task.reference) itself or one of its sub-tasks; a task cannot be its own ancestor.")
        }
        return parent.id
    }

    private func replaceAssignees(of task: String, with users: [String], in session: PostgresSession) async throws {
        try await session.query("DELETE FROM task_assignees WHERE task_id = $1", [task])
        guard !users.isEmpty else { return }
        try await session.query(
            "INSERT INTO task_assignees (task_id, user_id) SELECT $1, jsonb_array_elements_text($2::jsonb)", [task, PostgresJSON(users)])
    }

    private func replaceLabels(of task: String, with labels: [String], in session: PostgresSession) async throws {
        try await session.query("DELETE FROM task_labels WHERE task_id = $1", [task])
        guard !labels.isEmpty else { return }
        try await session.query(
            "INSERT INTO task_labels (task_id, label_id) SELECT $1, jsonb_array_elements_text($2::jsonb)::uuid", [task, PostgresJSON(labels)])
    }
}

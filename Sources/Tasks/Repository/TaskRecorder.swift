import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The two records every change leaves, in the change's transaction: activity entries
/// (`{actor, verb, field, old, new, at}`, append-only) and `task.*` events carrying the task
/// as it is after the change.
struct TaskRecorder: Sendable {
    let session: PostgresSession
    let actor: String

    /// One activity entry; `field`, `old` and `new` for an `updated` entry.
    func activity(_ task: String, _ verb: String, field: String? = nil, old: JSONValue? = nil, new: JSONValue? = nil) async throws {
        try await session.query(
            "INSERT INTO task_activity (task_id, actor, verb, field, old_value, new_value) VALUES ($1, $2, $3, $4, $5, $6)",
            [task, actor, verb, field, old.map { PostgresJSON($0) }, new.map { PostgresJSON($0) }])
    }

    /// Event `type` about `task`, with `extra` fields beside its snapshot.
    func event(_ type: String, _ task: TaskItem, extra: [String: JSONValue] = [:]) async throws {
        var data = Self.snapshot(task)
        data.merge(extra) { $1 }
        try await session.recordEvent(type, aggregate: "task", id: task.id, actor: actor, data: data)
    }

    /// What consumers keep of a task: enough for notifications to tell people and for
    /// projects to count it.
    static func snapshot(_ task: TaskItem) -> [String: JSONValue] {
        [
            "task_id": .string(task.id), "key": task.key.map(JSONValue.string) ?? .null, "project_id": task.projectID.map(JSONValue.string) ?? .null,
            "project_key": task.projectKey.map(JSONValue.string) ?? .null, "owner_id": .string(task.ownerID), "title": .string(task.title),
            "state_id": task.stateID.map(JSONValue.string) ?? .null, "state_group": .string(task.stateGroup.rawValue),
            "priority": .string(task.priority.rawValue), "assignees": .array(task.assignees.map(JSONValue.string)),
            "due_on": task.dueOn.map { .string($0.description) } ?? .null,
            "completed_at": task.completedAt.map { .string(timestamp($0)) } ?? .null,
        ]
    }

    static func timestamp(_ date: Date) -> String {
        let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        return RFC3339.format(secondsSinceEpoch: milliseconds.floorDivided(by: 1000), milliseconds: milliseconds - milliseconds.floorDivided(by: 1000) * 1000)
    }
}

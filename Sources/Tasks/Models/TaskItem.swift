import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A task as stored and served (`Task` is Swift's). A project task has a human `key`
/// (`WEB-142`); a personal task has neither project nor key and belongs to its creator.
struct TaskItem: Codable, Sendable, Equatable {
    let id: String
    let key: String?
    let projectID: String?
    let projectKey: String?
    /// The creator; the owner of a personal task.
    let ownerID: String
    var title: String
    var description: String?
    var stateID: String?
    var stateGroup: StateGroup
    var priority: Priority
    var assignees: [String]
    var labelIDs: [String]
    var startOn: LocalDate?
    var dueOn: LocalDate?
    var estimateValue: Int?
    /// `points` or `minutes`.
    var estimateUnit: String?
    var parentID: String?
    var repeatRule: Recurrence?
    /// The task this one is the next occurrence of.
    let recurrenceOf: String?
    var completedAt: Date?
    let externalSource: String?
    let externalID: String?
    /// Bumped by every change: the `ETag`.
    var version: Int
    let createdAt: Date
    var updatedAt: Date

    var isPersonal: Bool { projectID == nil }
    /// `WEB-142`, or the id of a personal task.
    var reference: String { key ?? id }
    var entityTag: EntityTag { EntityTag(version: version) }

    enum CodingKeys: String, CodingKey {
        case id, key, title, description, priority, assignees, version
        case projectID = "project_id", projectKey = "project_key", ownerID = "owner_id", stateID = "state_id", stateGroup = "state_group"
        case labelIDs = "label_ids", startOn = "start_on", dueOn = "due_on", estimateValue = "estimate_value", estimateUnit = "estimate_unit"
        case parentID = "parent_id", repeatRule = "repeat", recurrenceOf = "recurrence_of", completedAt = "completed_at"
        case externalSource = "external_source", externalID = "external_id", createdAt = "created_at", updatedAt = "updated_at"
    }

    /// The select list that reads a task from `tasks t` (assignees and labels aggregated in
    /// the same statement, so a page of tasks is one query).
    static let columns = """
        t.id::text AS id, t.key, t.project_id::text AS project_id, t.project_key, t.owner_id, t.title, t.description,
        t.state_id::text AS state_id, t.state_group, t.priority,
        ARRAY(SELECT a.user_id FROM task_assignees a WHERE a.task_id = t.id ORDER BY a.user_id COLLATE "C") AS assignees,
        ARRAY(SELECT l.label_id::text FROM task_labels l WHERE l.task_id = t.id ORDER BY l.label_id) AS label_ids,
        t.start_on, t.due_on, t.estimate_value, t.estimate_unit, t.parent_id::text AS parent_id, t.repeat,
        t.recurrence_of::text AS recurrence_of, t.completed_at, t.external_source, t.external_id, t.version, t.created_at, t.updated_at
        """

    /// Whether `text` looks like a task key (`WEB-142`).
    static func isKey(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, (2...10).contains(parts[0].count), (1...9).contains(parts[1].count) else { return false }
        return ProjectKey.isValid(parts[0])
            && parts[1].utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}

/// `GET /tasks`: a page, its total, and the cursor of the next page.
struct TaskPage: Codable, Sendable {
    let data: [TaskItem]
    let total: Int
    let nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case data, total
        case nextCursor = "next_cursor"
    }
}

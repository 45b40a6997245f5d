import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The fields of `POST /tasks`, `PATCH /tasks/{ref}` and a bulk update's `changes`. For a
/// PATCH an explicit `null` clears an optional field and a missing one is left alone;
/// `assignees` and `label_ids` replace the whole set.
struct TaskChanges: Sendable {
    var title: Patch<String> = .absent
    var description: Patch<String> = .absent
    var stateID: Patch<String> = .absent
    /// Personal tasks have no project states: they move between groups directly.
    var stateGroup: Patch<StateGroup> = .absent
    var priority: Patch<Priority> = .absent
    var assignees: Patch<[String]> = .absent
    var labelIDs: Patch<[String]> = .absent
    var startOn: Patch<LocalDate> = .absent
    var dueOn: Patch<LocalDate> = .absent
    var estimateValue: Patch<Int> = .absent
    var estimateUnit: Patch<String> = .absent
    /// The parent task's id or key.
    var parent: Patch<String> = .absent
    var repeatRule: Patch<Recurrence> = .absent

    /// Fields a request may set only when creating.
    struct Origin: Sendable {
        var project: String?
        var externalSource: String?
        var externalID: String?
    }

    static let maxDescription = 50_000

    /// Read the fields from `body` (problems recorded on it). `creating` requires a title.
    static func read(_ body: inout JSONObjectReader, creating: Bool) -> TaskChanges {
        var changes = TaskChanges()
        changes.title = body.string("title", required: creating, length: 1...500)
        changes.description = body.string("description", length: 0...maxDescription)
        changes.stateID = body.string("state_id", length: 36...36)
        if let id = changes.stateID.value, UUID(uuidString: id) == nil { body.record("state_id", "must be a workflow state id (a UUID)") }
        changes.stateGroup = body.choice("state_group", in: StateGroup.listed).map { StateGroup(rawValue: $0)! }
        changes.priority = body.choice("priority", in: Priority.listed).map { Priority(rawValue: $0)! }
        changes.assignees = body.strings("assignees", maxCount: 20, length: 1...200)
        changes.labelIDs = body.strings("label_ids", maxCount: 20, length: 36...36)
        if let ids = changes.labelIDs.value, ids.contains(where: { UUID(uuidString: $0) == nil }) {
            body.record("label_ids", "must hold label ids (UUIDs)")
        }
        changes.labelIDs = changes.labelIDs.map { $0.map { $0.lowercased() } }
        changes.startOn = body.date("start_on")
        changes.dueOn = body.date("due_on")
        changes.estimateValue = body.integer("estimate_value", in: 0...100_000)
        changes.estimateUnit = body.choice("estimate_unit", in: ["points", "minutes"])
        changes.parent = body.string("parent", length: 1...64)
        switch body.value("repeat") {
        case .absent: break
        case .clear: changes.repeatRule = .clear
        case .set(let value):
            var problem: String?
            if let rule = Recurrence.read(value, problems: &problem) { changes.repeatRule = .set(rule) } else { body.record("repeat", problem ?? "is invalid") }
        }
        for (key, field) in [("title", changes.title.isClear), ("state_group", changes.stateGroup.isClear), ("priority", changes.priority.isClear),
                             ("assignees", changes.assignees.isClear), ("label_ids", changes.labelIDs.isClear), ("state_id", changes.stateID.isClear)] where field {
            body.record(key, key == "priority" ? "cannot be null; use \"none\"" : "cannot be null")
        }
        if changes.estimateValue.isPresent != changes.estimateUnit.isPresent {
            body.record("estimate_unit", "estimate_value and estimate_unit go together")
        }
        if let start = changes.startOn.value, let due = changes.dueOn.value, due < start {
            body.record("due_on", "is before start_on")
        }
        return changes
    }

    static func readOrigin(_ body: inout JSONObjectReader) -> Origin {
        let project = body.string("project", length: 2...10)
        if let key = project.value, !ProjectKey.isValid(key) {
            body.record("project", "must be a project key such as WEB")
        }
        let source = body.string("external_source", length: 1...50)
        let external = body.string("external_id", length: 1...200)
        if source.value != nil && external.value == nil || source.value == nil && external.value != nil {
            body.record("external_id", "external_source and external_id go together")
        }
        return Origin(project: project.value, externalSource: source.value, externalID: external.value)
    }

    /// Problems against the project the task is in: the state, labels and assignees must
    /// be the project's (a personal task takes no state id, labels or other assignees).
    func problems(in document: ProjectAccessDocument?, owner: String) -> [String: String] {
        var problems: [String: String] = [:]
        guard let document else {
            if stateID.value != nil { problems["state_id"] = "personal tasks have no workflow states; set state_group" }
            if labelIDs.value?.isEmpty == false { problems["label_ids"] = "personal tasks have no project labels" }
            if let others = assignees.value?.filter({ $0 != owner }), !others.isEmpty {
                problems["assignees"] = "a personal task can be assigned only to its owner"
            }
            return problems
        }
        if stateGroup.value != nil && stateID.value == nil {
            problems["state_group"] = "project tasks move by state_id (one of the project's states)"
        }
        if let id = stateID.value, document.state(id) == nil {
            problems["state_id"] = "is not a state of project \(document.project.key)"
        }
        if let ids = labelIDs.value {
            let unknown = ids.filter { id in !document.labels.contains { $0.id == id } }
            if !unknown.isEmpty { problems["label_ids"] = "are not labels of \(document.project.key): \(unknown.joined(separator: ", "))" }
        }
        if let users = assignees.value {
            let outsiders = users.filter { !document.isMember($0) }
            if !outsiders.isEmpty { problems["assignees"] = "are not members of \(document.project.key): \(outsiders.joined(separator: ", "))" }
        }
        return problems
    }

    var isEmpty: Bool {
        ![title.isPresent, description.isPresent, stateID.isPresent, stateGroup.isPresent, priority.isPresent, assignees.isPresent,
          labelIDs.isPresent, startOn.isPresent, dueOn.isPresent, estimateValue.isPresent, parent.isPresent, repeatRule.isPresent].contains(true)
    }
}

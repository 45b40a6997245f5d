import FlotillaKit

/// The fields that differ between two versions of a task, as the activity log records them
/// (`{field, old, new}` with JSON values).
struct TaskDifferences {
    struct Difference: Equatable {
        let field: String
        let old: JSONValue
        let new: JSONValue
    }

    static func between(_ old: TaskItem, _ new: TaskItem) -> [Difference] {
        var found: [Difference] = []
        func compare(_ field: String, _ before: JSONValue, _ after: JSONValue) {
            if before != after { found.append(Difference(field: field, old: before, new: after)) }
        }
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func date(_ value: LocalDate?) -> JSONValue { value.map { .string($0.description) } ?? .null }
        func list(_ values: [String]) -> JSONValue { .array(values.sorted().map(JSONValue.string)) }
        compare("title", .string(old.title), .string(new.title))
        compare("description", text(old.description), text(new.description))
        compare("state_id", text(old.stateID), text(new.stateID))
        compare("state_group", .string(old.stateGroup.rawValue), .string(new.stateGroup.rawValue))
        compare("priority", .string(old.priority.rawValue), .string(new.priority.rawValue))
        compare("assignees", list(old.assignees), list(new.assignees))
        compare("label_ids", list(old.labelIDs), list(new.labelIDs))
        compare("start_on", date(old.startOn), date(new.startOn))
        compare("due_on", date(old.dueOn), date(new.dueOn))
        compare("estimate_value", old.estimateValue.map(JSONValue.int) ?? .null, new.estimateValue.map(JSONValue.int) ?? .null)
        compare("estimate_unit", text(old.estimateUnit), text(new.estimateUnit))
        compare("parent_id", text(old.parentID), text(new.parentID))
        compare("repeat", repeatValue(old.repeatRule), repeatValue(new.repeatRule))
        return found
    }

    private static func repeatValue(_ rule: Recurrence?) -> JSONValue {
        guard let rule else { return .null }
        return .object(["frequency": .string(rule.frequency.rawValue), "interval": .int(rule.interval), "from": .string(rule.from.rawValue)])
    }
}

import FlotillaKit
import Hummingbird

/// The filters, sort and cursor of `GET /tasks`, read from the query string.
struct TaskListQuery: Sendable {
    /// A sort: its SQL sort key (columns with their types, ending in the id so it is total)
    /// and direction.
    enum Sort: String, CaseIterable, Sendable {
        case updatedDescending = "-updated_at", updated = "updated_at", createdDescending = "-created_at"
        case dueDate = "due_date", priority, key

        var keys: [(expression: String, type: String)] {
            switch self {
            case .updatedDescending, .updated: [("t.updated_at", "timestamptz"), ("t.id", "uuid")]
            case .createdDescending: [("t.created_at", "timestamptz"), ("t.id", "uuid")]
            case .dueDate: [("COALESCE(t.due_on, 'infinity'::date)", "date"), ("t.id", "uuid")]
            case .priority: [("t.priority_rank", "smallint"), ("t.id", "uuid")]
            case .key: [("COALESCE(t.project_key, '')", "text"), ("COALESCE(t.number, 0)", "integer"), ("t.id", "uuid")]
            }
        }

        var descending: Bool { rawValue.hasPrefix("-") }
    }

    var project: String?
    var stateID: String?
    var stateGroups: [String] = []
    /// A user id, `me` resolved, or `none` for unassigned tasks.
    var assignee: String?
    var labelID: String?
    var priorities: [String] = []
    var dueBefore: LocalDate?
    var dueAfter: LocalDate?
    var overdue = false
    /// A task reference, or `none` for top-level tasks only.
    var parent: String?
    var text: String?
    var sort = Sort.updatedDescending
    var limit = 50
    var cursor: KeysetCursor?

    /// Read the query of `request` for `caller`; 400 `invalid_query` naming each bad parameter.
    init(_ request: Request, caller: String) throws(APIError) {
        var query = QueryReader(request)
        project = query.string("project", maxLength: 10)
        if let key = project, !ProjectKey.isValid(key) {
            query.record("project", "must be a project key such as WEB")
        }
        stateID = query.uuid("state", what: "a workflow state id")
        stateGroups = Self.list(&query, "state_group", allowed: StateGroup.listed)
        if let who = query.string("assignee", maxLength: 200) { assignee = who == "me" ? caller : who }
        labelID = query.uuid("label", what: "a label id")
        priorities = Self.list(&query, "priority", allowed: Priority.listed)
        dueBefore = Self.date(&query, "due_before")
        dueAfter = Self.date(&query, "due_after")
        overdue = query.choice("overdue", in: ["true", "false"]) == "true"
        parent = query.string("parent", maxLength: 64)
        text = query.string("q", maxLength: 200)
        sort = query.choice("sort", in: Sort.allCases.map(\.rawValue)).flatMap(Sort.init(rawValue:)) ?? .updatedDescending
        limit = query.integer("limit", default: 50, in: 1...200)
        cursor = KeysetCursor.read(&query, sort: sort.rawValue, columns: sort.keys.count)
        try query.validate()
    }

    private static func list(_ query: inout QueryReader, _ name: String, allowed: [String]) -> [String] {
        guard let text = query.string(name, maxLength: 100) else { return [] }
        let values = text.split(separator: ",").map(String.init)
        if let bad = values.first(where: { !allowed.contains($0) }) {
            query.record(name, "'\(bad.prefix(40))' is not one of \(allowed.joined(separator: ", ")) (give several separated by commas)")
        }
        return values
    }

    private static func date(_ query: inout QueryReader, _ name: String) -> LocalDate? {
        guard let text = query.string(name, maxLength: 10) else { return nil }
        guard let date = LocalDate(text) else {
            query.record(name, "'\(text)' is not a date such as 2026-03-31")
            return nil
        }
        return date
    }
}

import FlotillaKit

/// A workflow state of a project (`In Review`, in group `started`).
struct WorkflowState: Codable, Sendable, Equatable {
    let id: String
    var name: String
    var group: StateGroup
    var position: Int
    var isDefault: Bool
    var color: String?

    enum CodingKeys: String, CodingKey {
        case id, name, position, color
        case group = "state_group", isDefault = "is_default"
    }
}

/// A label of a project; names are unique per project regardless of case.
struct Label: Codable, Sendable, Equatable {
    let id: String
    var name: String
    var color: String
}

/// A milestone of a project.
struct Milestone: Codable, Sendable, Equatable {
    let id: String
    var name: String
    var dueOn: LocalDate?
    var state: String

    enum CodingKeys: String, CodingKey {
        case id, name, state
        case dueOn = "due_on"
    }
}


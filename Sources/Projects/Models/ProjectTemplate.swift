import FlotillaKit

/// What a new project starts with: workflow states, labels and a list of starting tasks
/// (which the tasks service creates from the `project.created` event). The templates ship
/// with the service; `software` is the default.
struct ProjectTemplate: Codable, Sendable {
    struct State: Codable, Sendable {
        let name: String
        let group: StateGroup
        let color: String
        var isDefault = false

        enum CodingKeys: String, CodingKey {
            case name, group, color
            case isDefault = "is_default"
        }
    }

    struct StartingTask: Codable, Sendable {
        let title: String
        /// The name of one of the template's states.
        let state: String
        let priority: String
        let labels: [String]
    }

    let id: String
    let name: String
    let description: String
    let states: [State]
    let labels: [Label]
    let tasks: [StartingTask]

    struct Label: Codable, Sendable {
        let name: String
        let color: String
    }

    static let defaultID = "software"

    static func named(_ id: String) -> ProjectTemplate? {
        all.first { $0.id == id }
    }

    static let all: [ProjectTemplate] = [
        ProjectTemplate(
            id: "software", name: "Software project",
            description: "Backlog, Todo, In Progress, In Review, Done and Cancelled, with bug/feature/chore labels.",
            states: [
                State(name: "Backlog", group: .backlog, color: "#a3a3a3"),
                State(name: "Todo", group: .unstarted, color: "#3b82f6", isDefault: true),
                State(name: "In Progress", group: .started, color: "#f59e0b"),
                State(name: "In Review", group: .started, color: "#8b5cf6"),
                State(name: "Done", group: .completed, color: "#22c55e"),
                State(name: "Cancelled", group: .cancelled, color: "#ef4444"),
            ],
            labels: [Label(name: "bug", color: "#ef4444"), Label(name: "feature", color: "#3b82f6"), Label(name: "chore", color: "#a3a3a3")],
            tasks: [
                StartingTask(title: "Write down the project's goal", state: "Todo", priority: "high", labels: []),
                StartingTask(title: "Invite the team", state: "Todo", priority: "medium", labels: ["chore"]),
                StartingTask(title: "Plan the first milestone", state: "Backlog", priority: "medium", labels: ["feature"]),
            ]),
        ProjectTemplate(
            id: "kanban", name: "Simple kanban",
            description: "To do, Doing, Done; no labels and no starting tasks.",
            states: [
                State(name: "To do", group: .unstarted, color: "#3b82f6", isDefault: true),
                State(name: "Doing", group: .started, color: "#f59e0b"),
                State(name: "Done", group: .completed, color: "#22c55e"),
                State(name: "Won't do", group: .cancelled, color: "#ef4444"),
            ],
            labels: [], tasks: []),
    ]
}

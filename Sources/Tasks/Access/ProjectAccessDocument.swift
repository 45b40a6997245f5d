import FlotillaKit

/// What the projects service says about a caller in a project (`GET /projects/{key}/access`):
/// their role, the workflow states, the labels and the members. Cached per project and user.
struct ProjectAccessDocument: Codable, Sendable, Equatable {
    struct ProjectSummary: Codable, Sendable, Equatable {
        let id: String
        let key: String
        let name: String
        let archived: Bool
    }

    struct State: Codable, Sendable, Equatable {
        let id: String
        let name: String
        let group: StateGroup
        let isDefault: Bool

        enum CodingKeys: String, CodingKey {
            case id, name
            case group = "state_group", isDefault = "is_default"
        }
    }

    struct Label: Codable, Sendable, Equatable {
        let id: String
        let name: String
    }

    struct Member: Codable, Sendable, Equatable {
        let userID: String
        let role: ProjectRole

        enum CodingKeys: String, CodingKey {
            case role
            case userID = "user_id"
        }
    }

    let project: ProjectSummary
    let role: ProjectRole
    let states: [State]
    let labels: [Label]
    let members: [Member]

    var defaultState: State? { states.first(where: \.isDefault) ?? states.first }

    func state(_ id: String) -> State? { states.first { $0.id == id } }

    func isMember(_ user: String) -> Bool { members.contains { $0.userID == user } }
}

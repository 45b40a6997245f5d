/// What the projects service says about a caller in a project (`GET /projects/{key}/access`):
/// their role, the workflow states, the labels and the members. Cached per project and user.
public struct ProjectAccessDocument: Codable, Sendable, Equatable {
    public struct ProjectSummary: Codable, Sendable, Equatable {
        public let id: String
        public let key: String
        public let name: String
        public let archived: Bool

        public init(id: String, key: String, name: String, archived: Bool) {
            self.id = id
            self.key = key
            self.name = name
            self.archived = archived
        }
    }

    public struct State: Codable, Sendable, Equatable {
        public let id: String
        public let name: String
        public let group: StateGroup
        public let isDefault: Bool

        public init(id: String, name: String, group: StateGroup, isDefault: Bool) {
            self.id = id
            self.name = name
            self.group = group
            self.isDefault = isDefault
        }

        enum CodingKeys: String, CodingKey {
            case id, name
            case group = "state_group", isDefault = "is_default"
        }
    }

    public struct Label: Codable, Sendable, Equatable {
        public let id: String
        public let name: String

        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    public struct Member: Codable, Sendable, Equatable {
        public let userID: String
        public let role: ProjectRole

        public init(userID: String, role: ProjectRole) {
            self.userID = userID
            self.role = role
        }

        enum CodingKeys: String, CodingKey {
            case role
            case userID = "user_id"
        }
    }

    public let project: ProjectSummary
    public let role: ProjectRole
    public let states: [State]
    public let labels: [Label]
    public let members: [Member]

    public init(project: ProjectSummary, role: ProjectRole, states: [State], labels: [Label], members: [Member]) {
        self.project = project
        self.role = role
        self.states = states
        self.labels = labels
        self.members = members
    }

    public var defaultState: State? { states.first(where: \.isDefault) ?? states.first }

    public func state(_ id: String) -> State? { states.first { $0.id == id } }

    public func isMember(_ user: String) -> Bool { members.contains { $0.userID == user } }

    /// The members holding `role` or above (the approvers of a timesheet, say).
    public func members(atLeast role: ProjectRole) -> [String] { members.filter { $0.role >= role }.map(\.userID) }
}

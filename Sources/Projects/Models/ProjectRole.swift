/// A member's role in a project, ordered `viewer` < `member` < `admin` < `owner`
/// (Plane's and Taiga's ladder): viewers read, members write tasks, admins delete and manage
/// members and the workflow, owners also manage owners.
enum ProjectRole: String, Codable, Sendable, Comparable, CaseIterable {
    case viewer, member, admin, owner

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .member: 1
        case .admin: 2
        case .owner: 3
        }
    }

    static func < (lhs: ProjectRole, rhs: ProjectRole) -> Bool {
        lhs.rank < rhs.rank
    }

    /// `owner, admin, member, viewer`, for messages.
    static let listed = allCases.reversed().map(\.rawValue)
}

/// A member's role in a project, ordered `viewer` < `member` < `admin` < `owner` (Plane's and
/// Taiga's ladder): viewers read, members write tasks (and comments, files), admins delete and
/// manage members and the workflow, owners also manage owners. The projects service decides
/// who holds which; the services that authorize by it (tasks, comments, files) read it from
/// projects' access document.
public enum ProjectRole: String, Codable, Sendable, Comparable, CaseIterable {
    case viewer, member, admin, owner

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .member: 1
        case .admin: 2
        case .owner: 3
        }
    }

    public static func < (lhs: ProjectRole, rhs: ProjectRole) -> Bool {
        lhs.rank < rhs.rank
    }

    /// `owner, admin, member, viewer`, for messages and validation.
    public static let listed = allCases.reversed().map(\.rawValue)
}

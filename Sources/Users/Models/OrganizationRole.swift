import FlotillaKit

/// A member's role in an organization, ordered `guest` < `member` < `admin` < `owner` (Gitea's
/// and Plane's ladder): guests see what they are given, members take part, admins manage
/// members, teams and invitations, owners also manage owners and the organization itself.
enum OrganizationRole: String, Codable, Sendable, CaseIterable, MembershipRole {
    case guest, member, admin, owner

    private var rank: Int {
        switch self {
        case .guest: 0
        case .member: 1
        case .admin: 2
        case .owner: 3
        }
    }

    static func < (lhs: OrganizationRole, rhs: OrganizationRole) -> Bool {
        lhs.rank < rhs.rank
    }

    /// `owner, admin, member, guest`, for messages and validation.
    static let listed = allCases.reversed().map(\.rawValue)
}

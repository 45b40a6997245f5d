/// The fleet's RBAC roles, carried in access tokens' `roles` claim.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case admin
    case manager
    case member
    case guest

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

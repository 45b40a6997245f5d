import HTTPTypes

/// Who may change whose membership of a group (a project, an organization), as pure rules
/// over any ``MembershipRole`` ladder (table-tested apart from I/O).
///
/// - Managing others needs `admin`; an admin acts only on members whose current and new
///   roles are at most `admin` (only owners make, demote or remove owners).
/// - Anyone may leave (remove themselves).
/// - A group always keeps an owner: the last owner can neither leave nor be demoted
///   (transfer ownership first).
public struct MembershipRules<Role: MembershipRole>: Sendable {
    /// A change to one membership.
    public enum Change: Equatable, Sendable {
        case add(Role)
        case setRole(from: Role, to: Role)
        case remove(Role)
    }

    /// What the group is called in messages (`project`, `organization`).
    public let group: String
    /// How to transfer ownership, for the last-owner message (`POST /projects/{key}/transfer`).
    public let transferRoute: String

    public init(group: String, transferRoute: String) {
        self.group = group
        self.transferRoute = transferRoute
    }

    /// Why `actor` (with `actorRole`) may not make `change` to `target`, or nil when allowed.
    /// `owners` is how many owners the group has now.
    public func refusal(actor: String, actorRole: Role, target: String, change: Change, owners: Int) -> APIError? {
        let isSelf = actor == target
        switch change {
        case .remove(let current) where isSelf:
            return current == .owner && owners <= 1 ? lastOwner : nil
        case .setRole(from: .owner, to: let new) where new != .owner && owners <= 1:
            return lastOwner
        case .remove(.owner) where owners <= 1:
            return lastOwner
        default:
            break
        }
        guard actorRole >= .admin else {
            return APIError.forbidden("Only \(group) admins and owners manage members.")
        }
        let touched: [Role] = switch change {
        case .add(let role): [role]
        case .setRole(let from, let to): [from, to]
        case .remove(let role): [role]
        }
        if touched.contains(.owner) && actorRole != .owner {
            return APIError.forbidden("Only owners add, change or remove owners.")
        }
        return nil
    }

    /// 409 `last_owner`: the change would leave the group without an owner.
    public var lastOwner: APIError {
        APIError(
            .conflict, code: "last_owner",
            message: "A \(group) keeps at least one owner: transfer ownership (\(transferRoute)) or make another owner first.")
    }
}

import FlotillaKit
import HTTPTypes

/// Who may change whose membership, as pure rules (table-tested apart from I/O).
///
/// - Managing others needs `admin`; an admin acts only on members whose current and new
///   roles are at most `admin` (only owners make, demote or remove owners).
/// - Anyone may leave (remove themselves).
/// - A project always keeps an owner: the last owner can neither leave nor be demoted
///   (transfer ownership first).
enum MembershipRules {
    /// A change to one membership.
    enum Change: Equatable {
        case add(ProjectRole)
        case setRole(from: ProjectRole, to: ProjectRole)
        case remove(ProjectRole)
    }

    /// Why `actor` (with `actorRole`) may not make `change` to `target`, or nil when allowed.
    /// `owners` is how many owners the project has now.
    static func refusal(actor: String, actorRole: ProjectRole, target: String, change: Change, owners: Int) -> APIError? {
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
            return APIError.forbidden("Only project admins and owners manage members.")
        }
        let touched: [ProjectRole] = switch change {
        case .add(let role): [role]
        case .setRole(let from, let to): [from, to]
        case .remove(let role): [role]
        }
        if touched.contains(.owner) && actorRole != .owner {
            return APIError.forbidden("Only owners add, change or remove owners.")
        }
        return nil
    }

    static let lastOwner = APIError(
        .conflict, code: "last_owner",
        message: "A project keeps at least one owner: transfer ownership (POST /projects/{key}/transfer) or make another owner first.")
}

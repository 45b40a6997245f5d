/// A role on a membership ladder whose top rung owns the group and whose second manages it:
/// ``ProjectRole`` (`viewer` < `member` < `admin` < `owner`) and the users service's
/// organization roles (`guest` < `member` < `admin` < `owner`). ``MembershipRules`` decides
/// who may change whose membership on any such ladder.
public protocol MembershipRole: Comparable, Sendable, CaseIterable, RawRepresentable where RawValue == String {
    /// The role that owns the group; a group always keeps at least one.
    static var owner: Self { get }
    /// The lowest role that manages other members.
    static var admin: Self { get }
}

extension MembershipRole {
    /// The caller's standing in a group, checked: `held` is their role (nil when not a
    /// member), `needed` what the route needs. A non-member is `notFound` (a group they are
    /// not in looks missing, so names cannot be probed), except that platform admins may act
    /// where the lowest role suffices (reading); a role too low is 403 naming the role needed.
    public static func authorize(held: Self?, needs needed: Self, isPlatformAdmin: Bool, in group: String, notFound: APIError) throws(APIError) {
        guard let held else {
            guard isPlatformAdmin && needed == allCases.min() else { throw notFound }
            return
        }
        guard held >= needed else {
            throw APIError.forbidden("Your role in \(group) is \(held.rawValue); this needs \(needed.rawValue) or above.")
        }
    }
}

extension ProjectRole: MembershipRole {}

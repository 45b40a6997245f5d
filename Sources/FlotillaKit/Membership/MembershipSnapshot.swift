/// Where a kind of group keeps its rows: the group table (with an `id`) and the membership
/// table (`user_id`, `role` and the group's id in `groupColumn`). Fixed names, never input.
public struct MembershipTables: Sendable {
    public let groups: String
    public let members: String
    public let groupColumn: String

    public init(groups: String, members: String, groupColumn: String) {
        self.groups = groups
        self.members = members
        self.groupColumn = groupColumn
    }
}

/// What ``MembershipRules`` needs to judge a change, read with the group locked.
public struct MembershipSnapshot<Role: MembershipRole>: Sendable {
    /// The actor's role, nil when not a member.
    public let actor: Role?
    /// The target's role, nil when not a member.
    public let target: Role?
    /// How many owners the group has.
    public let owners: Int
}

extension PostgresSession {
    /// Lock the group row (so two concurrent changes cannot together remove its last owner),
    /// then read the actor's and target's roles and the owner count in one statement.
    public func lockMembership<Role: MembershipRole>(
        _ tables: MembershipTables, group: String, actor: String, target: String, as role: Role.Type = Role.self
    ) async throws -> MembershipSnapshot<Role> {
        try await query("SELECT id FROM \(tables.groups) WHERE id = $1 FOR UPDATE", [group])
        let members = "\(tables.members) WHERE \(tables.groupColumn) = $1"
        let row = try await query(
            """
            SELECT (SELECT role FROM \(members) AND user_id = $2) AS actor_role,
                   (SELECT role FROM \(members) AND user_id = $3) AS target_role,
                   (SELECT count(*)::int FROM \(members) AND role = $4) AS owners
            """, [group, actor, target, Role.owner.rawValue]
        ).rows[0]
        return MembershipSnapshot(
            actor: try row.decode("actor_role", as: String?.self).flatMap(Role.init(rawValue:)),
            target: try row.decode("target_role", as: String?.self).flatMap(Role.init(rawValue:)),
            owners: try row.decode("owners", as: Int.self))
    }
}

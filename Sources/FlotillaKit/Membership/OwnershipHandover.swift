/// What ``PostgresSession/handOverOwnership(_:group:from:joinedColumn:as:)`` did.
public enum OwnershipHandover<Role: MembershipRole>: Sendable, Equatable {
    /// Another owner remains: nothing to do.
    case notNeeded
    /// `heir`, who held `from`, is now an owner.
    case promoted(heir: String, from: Role)
    /// Nobody else is in the group.
    case nobodyLeft
}

extension PostgresSession {
    /// Make sure `group` keeps an owner when `user` (an owner) goes, for a departure that cannot
    /// be refused (an account deleted or deactivated elsewhere): the member with the highest
    /// role, the longest-standing among equals (`joinedColumn`), becomes an owner. Run it with
    /// the group locked.
    public func handOverOwnership<Role: MembershipRole>(
        _ tables: MembershipTables, group: String, from user: String, joinedColumn: String, as role: Role.Type = Role.self
    ) async throws -> OwnershipHandover<Role> {
        let ladder = Role.allCases.sorted(by: >).map(\.rawValue).joined(separator: ",")
        guard let next = try await query(
            """
            SELECT user_id, role FROM \(tables.members) WHERE \(tables.groupColumn) = $1 AND user_id <> $2
            ORDER BY array_position(string_to_array($3, ','), role), \(joinedColumn), user_id LIMIT 1
            """, [group, user, ladder]
        ).rows.first else { return .nobodyLeft }
        let heir = try next.decode("user_id", as: String.self)
        guard let held = Role(rawValue: try next.decode("role", as: String.self)), held != .owner else { return .notNeeded }
        try await query(
            "UPDATE \(tables.members) SET role = $3 WHERE \(tables.groupColumn) = $1 AND user_id = $2", [group, heir, Role.owner.rawValue])
        return .promoted(heir: heir, from: held)
    }
}

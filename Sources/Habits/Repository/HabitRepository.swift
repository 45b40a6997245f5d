import FlotillaKit
import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Habits in PostgreSQL. Ownership is checked by the callers (``HabitAccess``); every
/// query here is by id or by owner.
struct HabitRepository: Sendable {
    let pool: PostgresPool
    let maxActivePerUser: Int

    static let columns = """
        id::text AS id, owner_id, name, description, schedule, target, unit, reminder_time, timezone, color, icon,
        created_on, archived_at, created_at, updated_at
        """

    /// Insert a new habit and its `habit.created` event; 409 `habit_limit_reached` when the
    /// owner already has the maximum of active habits.
    func create(owner: String, input: HabitInput, today: LocalDate) async throws -> Habit {
        try await pool.withTransaction { session in
            try await lockOwner(owner, in: session)
            try await requireRoomForActiveHabit(owner: owner, in: session)
            let habit = try await session.query(
                """
                INSERT INTO habits (id, owner_id, name, description, schedule, target, unit, reminder_time, timezone, color, icon, created_on)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING \(Self.columns)
                """,
                [UUID().lowercasedString, owner, input.name.value?.trimmed, input.description.value?.trimmed,
                 PostgresJSON(input.schedule.value ?? .daily), input.target.value ?? 1, input.unit.value?.trimmed,
                 input.reminderTime.value, input.timezone.value ?? "UTC", input.color.value, input.icon.value?.trimmed, today]
            ).decode(Habit.self)[0]
            try await session.recordHabitEvent("habit.created", habit)
            return habit
        }
    }

    func find(_ id: String) async throws -> Habit? {
        try await pool.query("SELECT \(Self.columns) FROM habits WHERE id = $1", [id]).decode(Habit.self).first
    }

    /// One page of `owner`'s habits, oldest first; `archived` nil lists both kinds.
    func list(owner: String, archived: Bool?, search: String?, page: PageRequest) async throws -> (habits: [Habit], total: Int) {
        var filter = "WHERE owner_id = $1"
        var parameters: [any PostgresEncodable] = [owner]
        if let archived { filter += archived ? " AND archived_at IS NOT NULL" : " AND archived_at IS NULL" }
        if let search {
            parameters.append("%" + Self.escapeLike(search) + "%")
            filter += " AND (name ILIKE $\(parameters.count) OR description ILIKE $\(parameters.count))"
        }
        let (habits, total) = try await pool.page(
            Habit.self, columns: Self.columns, from: "habits", filter: filter, parameters: parameters,
            orderBy: "created_at ASC, id ASC", page: page)
        return (habits, total)
    }

    /// All of `owner`'s habits, active first (the summary and today's list).
    func all(owner: String) async throws -> [Habit] {
        try await pool.query(
            "SELECT \(Self.columns) FROM habits WHERE owner_id = $1 ORDER BY archived_at IS NOT NULL, created_at, id", [owner]
        ).decode(Habit.self)
    }

    /// Apply the fields present in `input`; `nil` when the habit is gone.
    func update(_ id: String, with input: HabitInput) async throws -> Habit? {
        var assignments = [String]()
        var parameters: [any PostgresEncodable] = [id]
        func assign(_ column: String, _ field: HabitInput.Field<some PostgresEncodable>) {
            switch field {
            case .absent: return
            case .clear: assignments.append("\(column) = NULL")
            case .set(let value):
                parameters.append(value)
                assignments.append("\(column) = $\(parameters.count)")
            }
        }
        assign("name", input.name.map(\.trimmed))
        assign("description", input.description.map(\.trimmed))
        assign("schedule", input.schedule.map { PostgresJSON($0) })
        assign("target", input.target)
        assign("unit", input.unit.map(\.trimmed))
        assign("reminder_time", input.reminderTime)
        assign("timezone", input.timezone)
        assign("color", input.color)
        assign("icon", input.icon.map(\.trimmed))
        assignments.append("updated_at = now()")
        let statement = "UPDATE habits SET \(assignments.joined(separator: ", ")) WHERE id = $1 RETURNING \(Self.columns)"
        return try await pool.withTransaction { session in
            guard let habit = try await session.query(statement, parameters).decode(Habit.self).first else { return nil }
            try await session.recordHabitEvent("habit.updated", habit)
            return habit
        }
    }

    func delete(_ id: String) async throws -> Bool {
        try await pool.withTransaction { session in
            guard let habit = try await session.query("DELETE FROM habits WHERE id = $1 RETURNING \(Self.columns)", [id]).decode(Habit.self).first else {
                return false
            }
            try await session.recordHabitEvent("habit.deleted", habit)
            return true
        }
    }

    /// Archive from local day `today` on (a pause of its streaks); already archived is a no-op.
    func archive(_ habit: Habit, today: LocalDate) async throws -> Habit {
        try await pool.withTransaction { session in
            let updated = try await session.query(
                "UPDATE habits SET archived_at = now(), updated_at = now() WHERE id = $1 AND archived_at IS NULL RETURNING \(Self.columns)",
                [habit.id]
            ).decode(Habit.self).first
            guard let updated else { return habit }
            // Archived and un-archived earlier today: that pause opens again.
            try await session.query(
                "INSERT INTO habit_pauses (habit_id, starts_on) VALUES ($1, $2) ON CONFLICT (habit_id, starts_on) DO UPDATE SET ends_on = NULL",
                [habit.id, today])
            try await session.recordHabitEvent("habit.archived", updated)
            return updated
        }
    }

    /// Make active again from local day `today`; 409 when the owner is at the limit.
    func unarchive(_ habit: Habit, today: LocalDate) async throws -> Habit {
        try await pool.withTransaction { session in
            try await lockOwner(habit.ownerID, in: session)
            let current = try await session.query("SELECT \(Self.columns) FROM habits WHERE id = $1 FOR UPDATE", [habit.id]).decode(Habit.self).first
            guard let current, current.isArchived else { return current ?? habit }
            try await requireRoomForActiveHabit(owner: habit.ownerID, in: session)
            try await session.query(
                "UPDATE habit_pauses SET ends_on = GREATEST(starts_on, $2) WHERE habit_id = $1 AND ends_on IS NULL", [habit.id, today])
            let active = try await session.query(
                "UPDATE habits SET archived_at = NULL, updated_at = now() WHERE id = $1 RETURNING \(Self.columns)", [habit.id]
            ).decode(Habit.self)[0]
            try await session.recordHabitEvent("habit.unarchived", active)
            return active
        }
    }

    /// Active and archived habits across all users (the `habits_stored` gauges).
    func totals() async throws -> (active: Int, archived: Int) {
        let row = try await pool.query(
            "SELECT count(*) FILTER (WHERE archived_at IS NULL) AS active, count(*) FILTER (WHERE archived_at IS NOT NULL) AS archived FROM habits"
        ).rows[0]
        return (try row.decode("active", as: Int.self), try row.decode("archived", as: Int.self))
    }

    /// Serialise limit checks for one owner until the transaction ends.
    private func lockOwner(_ owner: String, in session: PostgresSession) async throws {
        try await session.query("SELECT pg_advisory_xact_lock(hashtextextended('habits:' || $1, 0))", [owner])
    }

    private func requireRoomForActiveHabit(owner: String, in session: PostgresSession) async throws {
        let active = try await session.query(
            "SELECT count(*) AS active FROM habits WHERE owner_id = $1 AND archived_at IS NULL", [owner]
        ).rows[0].decode("active", as: Int.self)
        guard active < maxActivePerUser else {
            throw APIError(
                .conflict, code: "habit_limit_reached",
                message: "You already have \(active) active habits, the most allowed is \(maxActivePerUser). Archive or delete one first.",
                details: ["limit": .int(maxActivePerUser)])
        }
    }

    /// `text` with LIKE's wildcards escaped.
    static func escapeLike(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}

extension HabitInput.Field {
    func map<Other>(_ transform: (Value) -> Other) -> HabitInput.Field<Other> {
        switch self {
        case .absent: .absent
        case .clear: .clear
        case .set(let value): .set(transform(value))
        }
    }
}

import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Check-ins and the history the progress rules read.
struct CheckInRepository: Sendable {
    let pool: PostgresPool

    static let columns = "habit_id::text AS habit_id, date, value, note, created_at, updated_at"

    /// What a check-in changed, for the answer and the events.
    struct Recorded: Sendable {
        let checkIn: CheckIn
        let created: Bool
        let streakBefore: Int
        let streakAfter: Int
    }

    /// Record `value` for `date` (one row per habit and day: a repeat updates it) with its
    /// events, in one transaction that holds the habit's row lock, so concurrent identical
    /// requests leave one row and one `habit.checked_in`.
    func record(_ habit: Habit, date: LocalDate, value: Int, note: String?, today: LocalDate) async throws -> Recorded {
        try await pool.withTransaction { session in
            guard try await !session.query("SELECT id FROM habits WHERE id = $1 FOR UPDATE", [habit.id]).rows.isEmpty else {
                throw HabitAccess.notFound(habit.id)
            }
            // The row lock keeps the history still, so the streak after is this history with
            // the new value: no second read.
            var timeline = try await timeline(of: habit, today: today, in: session)
            let before = HabitProgress(timeline).currentStreak
            let previous = try await session.query(
                "SELECT \(Self.columns) FROM check_ins WHERE habit_id = $1 AND date = $2", [habit.id, date]
            ).decode(CheckIn.self).first
            let checkIn = try await session.query(
                """
                INSERT INTO check_ins (habit_id, date, value, note) VALUES ($1, $2, $3, $4)
                ON CONFLICT (habit_id, date) DO UPDATE SET value = EXCLUDED.value, note = EXCLUDED.note,
                    updated_at = CASE WHEN (check_ins.value, check_ins.note) IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.note)
                                      THEN now() ELSE check_ins.updated_at END
                RETURNING \(Self.columns)
                """,
                [habit.id, date, value, note]
            ).decode(CheckIn.self)[0]
            timeline.values[date] = checkIn.value
            let after = HabitProgress(timeline).currentStreak
            let changed = previous.map { $0.value != value || $0.note != note } ?? true
            if changed {
                try await session.recordEvent(
                    "habit.checked_in", aggregate: "habit", id: habit.id, actor: habit.ownerID,
                    data: ["habit_id": .string(habit.id), "user_id": .string(habit.ownerID), "date": .string(date.description),
                              "value": .int(value), "target": .int(habit.target), "completed": .bool(value >= habit.target)])
            }
            if after > before {
                try await session.recordEvent(
                    "habit.streak_extended", aggregate: "habit", id: habit.id, actor: habit.ownerID,
                    data: ["habit_id": .string(habit.id), "user_id": .string(habit.ownerID), "name": .string(habit.name), "streak": .int(after),
                              "unit": .string(habit.schedule.streakUnit)])
            }
            return Recorded(checkIn: checkIn, created: previous == nil, streakBefore: before, streakAfter: after)
        }
    }

    /// Undo the check-in of `date`; false when there was none.
    func delete(habitID: String, date: LocalDate) async throws -> Bool {
        !(try await pool.query("DELETE FROM check_ins WHERE habit_id = $1 AND date = $2 RETURNING date", [habitID, date]).rows.isEmpty)
    }

    /// Check-ins of `first`…`last`, oldest first.
    func list(habitID: String, from first: LocalDate, through last: LocalDate) async throws -> [CheckIn] {
        try await pool.query(
            "SELECT \(Self.columns) FROM check_ins WHERE habit_id = $1 AND date BETWEEN $2 AND $3 ORDER BY date", [habitID, first, last]
        ).decode(CheckIn.self)
    }

    /// The whole history of `habit` as the progress rules see it.
    func timeline(of habit: Habit, today: LocalDate) async throws -> HabitTimeline {
        try await pool.withConnection { try await timeline(of: habit, today: today, in: $0) }
    }

    private func timeline(of habit: Habit, today: LocalDate, in session: PostgresSession) async throws -> HabitTimeline {
        let values = try await session.query("SELECT date, value FROM check_ins WHERE habit_id = $1", [habit.id]).rows
        let pauses = try await session.query("SELECT starts_on, ends_on FROM habit_pauses WHERE habit_id = $1", [habit.id]).rows
        return HabitTimeline(
            schedule: habit.schedule, target: habit.target, created: habit.createdOn,
            values: Dictionary(uniqueKeysWithValues: try values.map { (try $0.decode("date", as: LocalDate.self), try $0.decode("value", as: Int.self)) }),
            pauses: try pauses.map { .init(start: try $0.decode("starts_on", as: LocalDate.self), end: try $0.decode("ends_on", as: LocalDate?.self)) },
            today: today)
    }

    /// The timelines of many habits (today's list, the summary) in two queries.
    func timelines(of habits: [Habit], today: (Habit) -> LocalDate) async throws -> [String: HabitTimeline] {
        guard !habits.isEmpty else { return [:] }
        let ids = habits.map(\.id)
        let values = try await pool.query(
            "SELECT habit_id::text AS habit_id, date, value FROM check_ins WHERE habit_id = ANY($1::uuid[])", [ids]).rows
        let pauses = try await pool.query(
            "SELECT habit_id::text AS habit_id, starts_on, ends_on FROM habit_pauses WHERE habit_id = ANY($1::uuid[])", [ids]).rows
        var valuesByHabit = [String: [LocalDate: Int]]()
        for row in values {
            valuesByHabit[try row.decode("habit_id", as: String.self), default: [:]][try row.decode("date", as: LocalDate.self)] = try row.decode("value", as: Int.self)
        }
        var pausesByHabit = [String: [HabitTimeline.Pause]]()
        for row in pauses {
            pausesByHabit[try row.decode("habit_id", as: String.self), default: []].append(
                .init(start: try row.decode("starts_on", as: LocalDate.self), end: try row.decode("ends_on", as: LocalDate?.self)))
        }
        return Dictionary(uniqueKeysWithValues: habits.map { habit in
            (habit.id, HabitTimeline(
                schedule: habit.schedule, target: habit.target, created: habit.createdOn, values: valuesByHabit[habit.id] ?? [:],
                pauses: pausesByHabit[habit.id] ?? [], today: today(habit)))
        })
    }
}

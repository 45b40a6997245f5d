import FlotillaKit
import Foundation

extension PostgresSession {
    /// Record `type` (`habit.created`, `.updated`, `.archived`, `.unarchived`, `.deleted`) with
    /// the habit as it is after the change: enough for a consumer to keep a copy (notifications
    /// keeps the habit's reminder from it).
    func recordHabitEvent(_ type: String, _ habit: Habit) async throws {
        let schedule = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(habit.schedule))
        var data: [String: JSONValue] = [
            "habit_id": .string(habit.id), "user_id": .string(habit.ownerID), "name": .string(habit.name),
            "schedule": schedule, "timezone": .string(habit.timezone), "archived": .bool(habit.isArchived),
        ]
        data["reminder_time"] = habit.reminderTime.map(JSONValue.string) ?? .null
        try await recordEvent(type, aggregate: "habit", id: habit.id, actor: habit.ownerID, data: data)
    }
}

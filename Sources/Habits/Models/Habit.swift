import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A habit, as stored and as served.
struct Habit: Codable, Sendable, Equatable {
    let id: String
    let ownerID: String
    var name: String
    var description: String?
    var schedule: HabitSchedule
    /// Value a day needs to count as done (8 glasses); 1 for yes/no habits.
    var target: Int
    var unit: String?
    /// Local time of day, `HH:MM`.
    var reminderTime: String?
    /// IANA time zone whose days the habit counts in.
    var timezone: String
    var color: String?
    var icon: String?
    let createdOn: LocalDate
    var archivedAt: Date?
    let createdAt: Date
    var updatedAt: Date

    var isArchived: Bool { archivedAt != nil }

    enum CodingKeys: String, CodingKey {
        case id, name, description, schedule, target, unit, timezone, color, icon
        case ownerID = "owner_id", reminderTime = "reminder_time", createdOn = "created_on"
        case archivedAt = "archived_at", createdAt = "created_at", updatedAt = "updated_at"
    }
}

/// `GET /habits`: a page and where it is.
struct HabitPage: Codable, Sendable {
    let data: [Habit]
    let pagination: PageInfo
}

import Foundation

/// A scheduled reminder, as served.
struct Reminder: Codable, Sendable, Equatable {
    let id: String
    let userID: String
    let title: String
    let time: String
    let days: [String]
    let timeZone: String
    let source: String?
    let nextFireAt: Date
    let lastFiredAt: Date?
    let createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, title, days, source
        case userID = "user_id"
        case time = "local_time", timeZone = "time_zone", nextFireAt = "next_fire_at", lastFiredAt = "last_fired_at", createdAt = "created_at"
    }

    static let columns = "id::text AS id, user_id, title, local_time, days, time_zone, source, next_fire_at, last_fired_at, created_at"
}

import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A time entry as stored and served; one without an `end` is a running timer.
struct TimeEntry: Codable, Sendable, Equatable {
    let id: String
    let userID: String
    var projectID: String
    var project: String
    var task: String?
    var description: String
    var billable: Bool
    var tags: [String]
    var start: Date
    var end: Date?
    /// The times after rounding, once stopped.
    var roundedStart: Date?
    var roundedEnd: Date?
    var durationSeconds: Int?
    var hourlyRate: Money?
    var cost: Money?
    /// The Monday of its ISO week (in its owner's zone): the timesheet it belongs to.
    var week: LocalDate

    var isRunning: Bool { end == nil }

    enum CodingKeys: String, CodingKey {
        case id, project, task, description, billable, tags, week, cost
        case userID = "user_id", projectID = "project_id", start = "started_at", end = "ended_at"
        case roundedStart = "rounded_started_at", roundedEnd = "rounded_ended_at"
        case durationSeconds = "duration_seconds", hourlyRate = "hourly_rate"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(userID, forKey: .userID)
        try container.encode(projectID, forKey: .projectID)
        try container.encode(project, forKey: .project)
        try container.encode(task, forKey: .task)
        try container.encode(description, forKey: .description)
        try container.encode(billable, forKey: .billable)
        try container.encode(tags, forKey: .tags)
        try container.encode(start, forKey: .start)
        try container.encode(end, forKey: .end)
        try container.encode(roundedStart, forKey: .roundedStart)
        try container.encode(roundedEnd, forKey: .roundedEnd)
        try container.encode(durationSeconds, forKey: .durationSeconds)
        try container.encode(hourlyRate, forKey: .hourlyRate)
        try container.encode(cost, forKey: .cost)
        try container.encode(ISOWeek(containing: week).description, forKey: .week)
    }
}

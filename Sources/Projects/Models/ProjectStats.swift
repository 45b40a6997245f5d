/// `GET /projects/{key}/stats`: the project's tasks by state group, overdue and completed
/// this week (ISO week, UTC), from the task events the service has seen.
struct ProjectStats: Codable, Sendable, Equatable {
    let total: Int
    let byStateGroup: [String: Int]
    let overdue: Int
    let completedThisWeek: Int

    enum CodingKeys: String, CodingKey {
        case total, overdue
        case byStateGroup = "by_state_group", completedThisWeek = "completed_this_week"
    }
}

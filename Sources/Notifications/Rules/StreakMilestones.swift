/// The streak lengths that earn an achievement notification.
enum StreakMilestones {
    static let all: Set<Int> = [7, 30, 100]

    /// Whether reaching `streak` (in days, weeks or periods) is a milestone.
    static func isMilestone(_ streak: Int) -> Bool { all.contains(streak) }
}

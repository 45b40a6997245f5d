import FlotillaKit

/// `GET /habits/{id}/stats`.
struct HabitStats: Codable, Sendable {
    struct Streaks: Codable, Sendable {
        let current: Int
        let longest: Int
        /// `days`, `weeks` or `periods`, after the schedule.
        let unit: String
    }

    /// Met over due periods, 0…1, or `null` when nothing was due yet.
    struct CompletionRates: Codable, Sendable {
        let last7Days: Double?
        let last30Days: Double?
        let last365Days: Double?
        let allTime: Double?

        enum CodingKeys: String, CodingKey {
            case last7Days = "last_7_days", last30Days = "last_30_days", last365Days = "last_365_days", allTime = "all_time"
        }
    }

    struct CalendarDay: Codable, Sendable {
        let date: LocalDate
        let state: HabitProgress.DayState
        let value: Int
    }

    let habitID: String
    let today: LocalDate
    let timezone: String
    let streak: Streaks
    let completionRate: CompletionRates
    let totalCheckIns: Int
    let bestWeekday: String?
    let trend: HabitProgress.Trend
    let calendar: [CalendarDay]

    enum CodingKeys: String, CodingKey {
        case today, timezone, streak, trend, calendar
        case habitID = "habit_id", completionRate = "completion_rate", totalCheckIns = "total_check_ins", bestWeekday = "best_weekday"
    }

    init(habit: Habit, progress: HabitProgress, calendar range: DateRangeQuery) {
        habitID = habit.id
        today = progress.timeline.today
        timezone = habit.timezone
        streak = Streaks(current: progress.currentStreak, longest: progress.longestStreak, unit: habit.schedule.streakUnit)
        completionRate = CompletionRates(
            last7Days: progress.completionRate(lastDays: 7), last30Days: progress.completionRate(lastDays: 30),
            last365Days: progress.completionRate(lastDays: 365), allTime: progress.completionRate(lastDays: nil))
        totalCheckIns = progress.totalCheckIns
        bestWeekday = progress.bestWeekday?.shortName
        trend = progress.trend
        self.calendar = progress.calendar(from: range.from, through: range.to).map {
            CalendarDay(date: $0.date, state: $0.state, value: progress.timeline.values[$0.date] ?? 0)
        }
    }
}

/// One entry of `GET /habits/today`.
struct HabitToday: Codable, Sendable {
    let habit: Habit
    let today: LocalDate
    /// `completed`, `partial` or `pending`.
    let state: HabitProgress.DayState
    let value: Int
    let target: Int
    let currentStreak: Int

    enum CodingKeys: String, CodingKey {
        case habit, today, state, value, target
        case currentStreak = "current_streak"
    }
}

struct HabitTodayList: Codable, Sendable {
    let data: [HabitToday]
}

/// `GET /habits/summary`: across all of the caller's habits.
struct HabitSummary: Codable, Sendable {
    struct StreakHolder: Codable, Sendable {
        let habitID: String
        let name: String
        let streak: Int

        enum CodingKeys: String, CodingKey {
            case name, streak
            case habitID = "habit_id"
        }
    }

    let activeHabits: Int
    let archivedHabits: Int
    let dueToday: Int
    let completedToday: Int
    let totalCheckIns: Int
    /// Active habits whose current streak is above zero.
    let habitsOnAStreak: Int
    let bestCurrentStreak: StreakHolder?
    let longestStreakEver: StreakHolder?

    enum CodingKeys: String, CodingKey {
        case activeHabits = "active_habits", archivedHabits = "archived_habits", dueToday = "due_today"
        case completedToday = "completed_today", totalCheckIns = "total_check_ins", habitsOnAStreak = "habits_on_a_streak"
        case bestCurrentStreak = "best_current_streak", longestStreakEver = "longest_streak_ever"
    }
}

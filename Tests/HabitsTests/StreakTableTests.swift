import FlotillaKit
import Testing

@testable import Habits

/// The streak rules as a table: each row is a schedule, a history written as one character
/// per day ending today, and the streaks it must give.
///
/// History characters, oldest first, the last one is today: `x` met, `p` partial (below
/// target), `.` nothing, `a` archived (paused) and nothing done, `A` archived but done
/// (a check-in from before it was archived that day).
@Suite("habits: streak table")
struct StreakTableTests {
    struct Row: CustomTestStringConvertible, Sendable {
        let name: String
        let schedule: HabitSchedule
        let history: String
        /// Weekday of the last character (today).
        let today: Weekday
        let current: Int
        let longest: Int
        var target = 2

        var testDescription: String { name }

        /// Today as a real date with weekday `today` (a week in June 2024, no DST change).
        var todayDate: LocalDate {
            LocalDate(year: 2024, month: 6, day: 9 + today.rawValue)!  // 2024-06-10 is a Monday
        }

        var timeline: HabitTimeline {
            let days = Array(history)
            let first = todayDate.adding(days: 1 - days.count)
            var values = [LocalDate: Int]()
            var pauses = [HabitTimeline.Pause]()
            var pauseStart: LocalDate?
            for (offset, character) in days.enumerated() {
                let day = first.adding(days: offset)
                switch character {
                case "x", "A": values[day] = target
                case "p": values[day] = target - 1
                default: break
                }
                let paused = character == "a" || character == "A"
                if paused, pauseStart == nil { pauseStart = day }
                if !paused, let start = pauseStart {
                    pauses.append(.init(start: start, end: day))
                    pauseStart = nil
                }
            }
            if let start = pauseStart { pauses.append(.init(start: start, end: nil)) }
            return HabitTimeline(schedule: schedule, target: target, created: first, values: values, pauses: pauses, today: todayDate)
        }
    }

    static let weekdaysOnly: HabitSchedule = .weekdays([.monday, .tuesday, .wednesday, .thursday, .friday])

    static let rows: [Row] = [
        Row(name: "daily: three days in a row", schedule: .daily, history: "xxx", today: .wednesday, current: 3, longest: 3),
        Row(name: "daily: today not done yet keeps the streak", schedule: .daily, history: "xxx.", today: .thursday, current: 3, longest: 3),
        Row(name: "daily: yesterday missed breaks it", schedule: .daily, history: "xxx..", today: .friday, current: 0, longest: 3),
        Row(name: "daily: a gap, then a new run", schedule: .daily, history: "xxxx.xx", today: .sunday, current: 2, longest: 4),
        Row(name: "daily: partial days do not count", schedule: .daily, history: "xxpxx", today: .friday, current: 2, longest: 2),
        Row(name: "daily: partial today is still open", schedule: .daily, history: "xxp", today: .wednesday, current: 2, longest: 2),
        Row(name: "daily: nothing ever", schedule: .daily, history: "....", today: .thursday, current: 0, longest: 0),
        Row(name: "weekdays: a weekend does not break it", schedule: weekdaysOnly, history: "xxxxx..xx", today: .tuesday, current: 7, longest: 7),
        Row(name: "weekdays: a missed Friday does", schedule: weekdaysOnly, history: "xxxx...xx", today: .tuesday, current: 2, longest: 4),
        Row(name: "weekdays: Sunday, Friday done", schedule: weekdaysOnly, history: "xxxxx..", today: .sunday, current: 5, longest: 5),
        Row(name: "weekdays: weekend check-ins add nothing", schedule: weekdaysOnly, history: "xxxxxxx", today: .sunday, current: 5, longest: 5),
        Row(name: "3 a week: two full weeks", schedule: .timesPerWeek(3), history: "x.x.x..xx.x...", today: .sunday, current: 2, longest: 2),
        Row(name: "3 a week: this week still open", schedule: .timesPerWeek(3), history: "x.x.x..x", today: .monday, current: 1, longest: 1),
        Row(name: "3 a week: last week only twice", schedule: .timesPerWeek(3), history: "x.x.x..x.x....x", today: .monday, current: 0, longest: 1),
        Row(name: "3 a week: met early in the week counts at once", schedule: .timesPerWeek(3), history: "x.x.x..xxx", today: .wednesday, current: 2, longest: 2),
        Row(name: "every 3 days: once per window", schedule: .everyNDays(3), history: "x....x.x.", today: .tuesday, current: 3, longest: 3),
        Row(name: "every 3 days: an empty window breaks", schedule: .everyNDays(3), history: "x.....x..", today: .tuesday, current: 1, longest: 1),
        Row(name: "every 3 days: current window open", schedule: .everyNDays(3), history: "x..x...", today: .sunday, current: 2, longest: 2),
        Row(name: "every 3 days: current window met counts", schedule: .everyNDays(3), history: "x..x..x", today: .sunday, current: 3, longest: 3),
        Row(name: "archived days pause the streak", schedule: .daily, history: "xxxaaaxx", today: .monday, current: 5, longest: 5),
        Row(name: "still archived: streak frozen", schedule: .daily, history: "xxxxaa", today: .saturday, current: 4, longest: 4),
        Row(name: "archived on a done day counts it", schedule: .daily, history: "xxAaax", today: .saturday, current: 4, longest: 4),
        Row(name: "un-archived and missed again breaks", schedule: .daily, history: "xxaa..x", today: .sunday, current: 1, longest: 2),
        Row(name: "weekly habit archived mid-week", schedule: .timesPerWeek(3), history: "x.x.x..xaaaaaax", today: .monday, current: 1, longest: 1),
    ]

    @Test(arguments: rows)
    func streaks(_ row: Row) {
        let progress = HabitProgress(row.timeline)
        #expect(progress.currentStreak == row.current, "current streak of \(row.history)")
        #expect(progress.longestStreak == row.longest, "longest streak of \(row.history)")
    }
}

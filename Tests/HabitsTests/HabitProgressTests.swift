import FlotillaKit
import Testing

@testable import Habits

/// Rates, calendar, best weekday and trend of ``HabitProgress``.
@Suite("habits: progress figures")
struct HabitProgressTests {
    /// A daily habit created `days` days before 2024-06-16 (a Sunday), met on the days
    /// `offsets` before it (0 is today).
    static func progress(days: Int, met offsets: [Int], target: Int = 1, partial: [Int] = [], schedule: HabitSchedule = .daily) -> HabitProgress {
        let today = LocalDate("2024-06-16")!
        var values = [LocalDate: Int]()
        for offset in offsets { values[today.adding(days: -offset)] = target }
        for offset in partial { values[today.adding(days: -offset)] = target - 1 }
        return HabitProgress(HabitTimeline(
            schedule: schedule, target: target, created: today.adding(days: -days), values: values, pauses: [], today: today))
    }

    @Test func completionRatesCountDuePeriodsOnly() {
        // Created 9 days ago (10 days including today); met 6 of the 9 past days, not today.
        let progress = Self.progress(days: 9, met: [1, 2, 3, 5, 7, 9])
        #expect(progress.completionRate(lastDays: 7) == 4.0 / 6.0, "today is open, so 6 days were due in the last 7")
        #expect(progress.completionRate(lastDays: 30) == 6.0 / 9.0, "nothing before the habit existed is due")
        #expect(progress.completionRate(lastDays: nil) == 6.0 / 9.0)
        let doneToday = Self.progress(days: 9, met: [0, 1, 2, 3, 5, 7, 9])
        #expect(doneToday.completionRate(lastDays: 7) == 5.0 / 7.0, "today counts once met")
        #expect(Self.progress(days: 0, met: []).completionRate(lastDays: 7) == nil, "a habit created today has nothing due")
    }

    @Test func calendarStates() {
        let weekdays = Self.progress(days: 6, met: [4], target: 3, partial: [3], schedule: .weekdays([.monday, .tuesday, .wednesday, .thursday, .friday]))
        // 2024-06-10 Monday … 2024-06-16 Sunday (today).
        let states = weekdays.calendar(from: LocalDate("2024-06-09")!, through: LocalDate("2024-06-20")!).map(\.state)
        #expect(states == [.notScheduled, .missed, .missed, .completed, .partial, .missed, .notScheduled, .notScheduled],
                "before the start, Mon and Tue missed, Wed done, Thu partial, Fri missed, the weekend; nothing after today")
        let weekly = Self.progress(days: 6, met: [6, 5], schedule: .timesPerWeek(3))
        #expect(weekly.state(of: LocalDate("2024-06-14")!) == .pending, "the week is not over")
        #expect(weekly.today.due && weekly.today.state == .pending)
        let metWeek = Self.progress(days: 6, met: [6, 5, 4], schedule: .timesPerWeek(3))
        #expect(metWeek.state(of: LocalDate("2024-06-14")!) == .notScheduled, "the week's three days are done")
        #expect(!metWeek.today.due)
    }

    @Test func bestWeekdayAndTrend() {
        // Sundays (0, 7, 14) and one Monday (6): Sunday is best.
        let progress = Self.progress(days: 20, met: [0, 7, 14, 6])
        #expect(progress.bestWeekday == .sunday)
        #expect(Self.progress(days: 20, met: []).bestWeekday == nil)
        #expect(Self.progress(days: 20, met: [0, 1, 2, 8]).trend == .up)
        #expect(Self.progress(days: 20, met: [1, 8, 9]).trend == .down)
        #expect(Self.progress(days: 20, met: [1, 8]).trend == .stable)
        #expect(Self.progress(days: 20, met: [0, 1], target: 2, partial: [2]).totalCheckIns == 3)
    }
}

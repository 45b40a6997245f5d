import FlotillaKit
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@testable import Habits

/// Streaks where local days matter: instants around DST changes, just after local midnight,
/// far east of UTC, and around leap days. The clock is fixed; zones come from the system's
/// time zone database (Debian's tzdata).
@Suite("habits: local days, DST and leap days")
struct LocalDayTests {
    static func clock(_ instant: String) -> HabitClock {
        let date = try! Date(instant, strategy: .iso8601)
        return HabitClock(zones: .system, now: { date })
    }

    static func date(_ text: String) -> LocalDate {
        LocalDate(text)!
    }

    /// A daily habit created on `created`, met on `days`, seen on `today`.
    static func daily(created: String, met days: [String], today: LocalDate, schedule: HabitSchedule = .daily) -> HabitProgress {
        HabitProgress(HabitTimeline(
            schedule: schedule, target: 1, created: date(created), values: Dictionary(uniqueKeysWithValues: days.map { (date($0), 1) }),
            pauses: [], today: today))
    }

    @Test(arguments: [
        // New York springs forward 2024-03-10 02:00 EST → 03:00 EDT (a 23-hour day).
        ("America/New_York", "2024-03-10T04:59:59Z", "2024-03-09"),
        ("America/New_York", "2024-03-10T05:00:00Z", "2024-03-10"),
        ("America/New_York", "2024-03-11T03:59:59Z", "2024-03-10"),
        ("America/New_York", "2024-03-11T04:00:00Z", "2024-03-11"),
        // ... and falls back 2024-11-03 02:00 EDT → 01:00 EST (a 25-hour day).
        ("America/New_York", "2024-11-03T03:59:59Z", "2024-11-02"),
        ("America/New_York", "2024-11-03T04:00:00Z", "2024-11-03"),
        ("America/New_York", "2024-11-04T04:59:59Z", "2024-11-03"),
        ("America/New_York", "2024-11-04T05:00:00Z", "2024-11-04"),
        // Berlin: 2024-03-31 02:00 CET → 03:00 CEST, 2024-10-27 03:00 CEST → 02:00 CET.
        ("Europe/Berlin", "2024-03-30T22:59:59Z", "2024-03-30"),
        ("Europe/Berlin", "2024-03-30T23:05:00Z", "2024-03-31"),
        ("Europe/Berlin", "2024-03-31T21:59:59Z", "2024-03-31"),
        ("Europe/Berlin", "2024-03-31T22:00:00Z", "2024-04-01"),
        ("Europe/Berlin", "2024-10-26T22:00:00Z", "2024-10-27"),
        ("Europe/Berlin", "2024-10-27T22:59:59Z", "2024-10-27"),
        ("Europe/Berlin", "2024-10-27T23:00:00Z", "2024-10-28"),
        // Kiritimati is UTC+14: its day starts ten hours before UTC's previous day ends.
        ("Pacific/Kiritimati", "2024-01-01T09:59:59Z", "2024-01-01"),
        ("Pacific/Kiritimati", "2024-01-01T10:00:00Z", "2024-01-02"),
        // Chatham is UTC+13:45 in its summer.
        ("Pacific/Chatham", "2024-01-01T10:14:59Z", "2024-01-01"),
        ("Pacific/Chatham", "2024-01-01T10:15:00Z", "2024-01-02"),
        ("UTC", "2024-02-29T23:59:59Z", "2024-02-29"),
    ])
    func todayIsTheLocalDay(zone: String, instant: String, expected: String) {
        #expect(Self.clock(instant).today(in: zone) == Self.date(expected))
    }

    @Test func aStreakAcrossTheSpringForwardWeekInNewYork() {
        // Checked in Friday to Sunday (the 23-hour day); it is 00:30 on Monday, EDT.
        let today = Self.clock("2024-03-11T04:30:00Z").today(in: "America/New_York")
        let progress = Self.daily(created: "2024-03-01", met: ["2024-03-08", "2024-03-09", "2024-03-10"], today: today)
        #expect(today == Self.date("2024-03-11"))
        #expect(progress.currentStreak == 3, "Monday is still open")
        #expect(progress.state(of: today) == .pending)
    }

    @Test func aStreakAcrossTheFallBackWeekInNewYork() {
        // 23:30 EST on Sunday 3 November, the 25-hour day: still Sunday there.
        let today = Self.clock("2024-11-04T04:30:00Z").today(in: "America/New_York")
        let progress = Self.daily(created: "2024-10-28", met: ["2024-11-01", "2024-11-02", "2024-11-03"], today: today)
        #expect(today == Self.date("2024-11-03"))
        #expect(progress.currentStreak == 3)
        let weekdays = Self.daily(
            created: "2024-10-28", met: ["2024-10-28", "2024-10-29", "2024-10-30", "2024-10-31", "2024-11-01"], today: today,
            schedule: .weekdays([.monday, .tuesday, .wednesday, .thursday, .friday]))
        #expect(weekdays.currentStreak == 5, "the weekend, 25-hour Sunday included, does not break a weekday habit")
    }

    @Test func checkingInJustAfterLocalMidnightInBerlin() throws {
        // 00:05 on 31 March in Berlin is still 30 March in UTC.
        let today = Self.clock("2024-03-30T23:05:00Z").today(in: "Europe/Berlin")
        try CheckInInput.validate(date: Self.date("2024-03-31"), today: today, timezone: "Europe/Berlin")
        let progress = Self.daily(created: "2024-03-25", met: ["2024-03-29", "2024-03-30", "2024-03-31"], today: today)
        #expect(progress.currentStreak == 3)
        #expect(progress.state(of: today) == .completed)
        // The same instant is still the 30th in New York: the 31st would be in the future there.
        let newYork = Self.clock("2024-03-30T23:05:00Z").today(in: "America/New_York")
        #expect(throws: APIError.self) { try CheckInInput.validate(date: Self.date("2024-03-31"), today: newYork, timezone: "America/New_York") }
    }

    @Test func aWeeklyHabitAcrossBerlinsShortWeek() {
        // The week of 25 March 2024 has a 23-hour Sunday; three days met, it is the Monday after.
        let today = Self.date("2024-04-01")
        let progress = Self.daily(created: "2024-03-25", met: ["2024-03-25", "2024-03-27", "2024-03-31"], today: today, schedule: .timesPerWeek(3))
        #expect(progress.currentStreak == 1)
        #expect(progress.completionRate(lastDays: 7) == 1)
    }

    @Test func kiritimatiChecksInOnADayUTCHasNotReached() throws {
        let today = Self.clock("2024-01-01T10:30:00Z").today(in: "Pacific/Kiritimati")
        try CheckInInput.validate(date: Self.date("2024-01-02"), today: today, timezone: "Pacific/Kiritimati")
        let progress = Self.daily(created: "2023-12-20", met: ["2023-12-31", "2024-01-01", "2024-01-02"], today: today)
        #expect(progress.currentStreak == 3)
        #expect(throws: APIError.self) {
            try CheckInInput.validate(date: Self.date("2024-01-03"), today: today, timezone: "Pacific/Kiritimati")
        }
    }

    @Test func leapDays() {
        let leap = Self.daily(created: "2024-02-20", met: ["2024-02-28", "2024-02-29", "2024-03-01"], today: Self.date("2024-03-01"))
        #expect(leap.currentStreak == 3)
        let common = Self.daily(created: "2023-02-20", met: ["2023-02-27", "2023-02-28", "2023-03-01"], today: Self.date("2023-03-01"))
        #expect(common.currentStreak == 3, "2023 has no 29 February to miss")
        #expect(LocalDate(year: 2023, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 2000, month: 2, day: 29) != nil)
        #expect(LocalDate(year: 2100, month: 2, day: 29) == nil)
        // Every 2 days from 27 Feb 2024: windows 27–28, 29 Feb–1 Mar, 2–3 Mar.
        let everyOther = Self.daily(created: "2024-02-27", met: ["2024-02-27", "2024-02-29", "2024-03-03"], today: Self.date("2024-03-03"), schedule: .everyNDays(2))
        #expect(everyOther.currentStreak == 3)
        let skipped = Self.daily(created: "2024-02-27", met: ["2024-02-27", "2024-03-02"], today: Self.date("2024-03-03"), schedule: .everyNDays(2))
        #expect(skipped.currentStreak == 1, "the leap-day window was empty")
    }
}

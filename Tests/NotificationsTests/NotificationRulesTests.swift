import FlotillaKit
import Foundation
import Testing

@testable import Notifications

/// Quiet hours (across midnight, east and west of UTC), reminder schedules (weekdays, DST,
/// catch-up), and the wall-clock conversions beneath them.
@Suite("notifications: rules")
struct NotificationRulesTests {
    static func instant(_ text: String) -> Int64 { Int64(RFC3339.parse(text)!.timeIntervalSince1970) }
    static func zone(_ name: String) -> ZoneInfo { ZoneInfoDatabase.system.zone(name)! }

    static let quietCases: [(zone: String, start: String, end: String, at: String, endsAt: String?)] = [
        // Berlin is UTC+1 in December: 22:00–07:00 local is 21:00Z–06:00Z.
        ("Europe/Berlin", "22:00", "07:00", "2026-12-06T21:30:00Z", "2026-12-07T06:00:00Z"),
        ("Europe/Berlin", "22:00", "07:00", "2026-12-06T05:30:00Z", "2026-12-06T06:00:00Z"),
        ("Europe/Berlin", "22:00", "07:00", "2026-12-06T06:00:00Z", nil),
        ("Europe/Berlin", "22:00", "07:00", "2026-12-06T20:59:00Z", nil),
        // Los Angeles is UTC−8: 22:00 on the 5th local is 06:00Z on the 6th.
        ("America/Los_Angeles", "22:00", "07:00", "2026-12-06T06:30:00Z", "2026-12-06T15:00:00Z"),
        ("America/Los_Angeles", "22:00", "07:00", "2026-12-06T14:59:00Z", "2026-12-06T15:00:00Z"),
        ("America/Los_Angeles", "22:00", "07:00", "2026-12-06T16:00:00Z", nil),
        // A window inside one day, and Tokyo (UTC+9, no DST).
        ("Asia/Tokyo", "13:00", "14:00", "2026-12-06T04:30:00Z", "2026-12-06T05:00:00Z"),
        ("Asia/Tokyo", "13:00", "14:00", "2026-12-06T05:00:00Z", nil),
    ]

    @Test(arguments: quietCases)
    func quietHoursAcrossMidnightEastAndWest(_ example: (zone: String, start: String, end: String, at: String, endsAt: String?)) throws {
        let rule = QuietHours(start: try #require(ClockTime(example.start)), end: try #require(ClockTime(example.end)))
        let end = rule.end(after: Self.instant(example.at), in: Self.zone(example.zone))
        #expect(end == example.endsAt.map(Self.instant), "\(example)")
    }

    static let scheduleCases: [(zone: String, time: String, days: [Weekday], after: String, next: String)] = [
        ("Europe/Berlin", "07:30", [], "2026-12-06T07:00:00Z", "2026-12-07T06:30:00Z"),
        ("Europe/Berlin", "07:30", [], "2026-12-06T06:00:00Z", "2026-12-06T06:30:00Z"),
        // 2026-12-06 is a Sunday: a Monday-only reminder is tomorrow, a Saturday one in six days.
        ("Europe/Berlin", "07:30", [.monday], "2026-12-06T06:00:00Z", "2026-12-07T06:30:00Z"),
        ("Europe/Berlin", "07:30", [.saturday], "2026-12-06T06:00:00Z", "2026-12-12T06:30:00Z"),
        ("America/New_York", "21:00", [.sunday], "2026-12-06T12:00:00Z", "2026-12-07T02:00:00Z"),
        // Summer time starts in Berlin on 2026-03-29: 07:30 is 05:30Z that day, 06:30Z the day before.
        ("Europe/Berlin", "07:30", [], "2026-03-28T07:00:00Z", "2026-03-29T05:30:00Z"),
        // 02:30 does not exist that night: it fires at 03:30 summer time (01:30Z).
        ("Europe/Berlin", "02:30", [], "2026-03-28T12:00:00Z", "2026-03-29T01:30:00Z"),
        // 02:30 happens twice when summer time ends (2026-10-25): the first one.
        ("Europe/Berlin", "02:30", [], "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z"),
    ]

    @Test(arguments: scheduleCases)
    func remindersFireAtTheLocalTime(_ example: (zone: String, time: String, days: [Weekday], after: String, next: String)) throws {
        let schedule = ReminderSchedule(time: try #require(ClockTime(example.time)), days: Set(example.days), zone: Self.zone(example.zone))
        #expect(schedule.nextFiring(after: Self.instant(example.after)) == Self.instant(example.next), "\(example)")
    }

    @Test func afterDowntimeTheNextFiringIsTheFirstAfterNow() throws {
        let schedule = ReminderSchedule(time: try #require(ClockTime("08:00")), days: [], zone: .utc)
        // Missed for a week: the scheduler fires once, then asks for the next after now.
        #expect(schedule.nextFiring(after: Self.instant("2026-12-13T09:00:00Z")) == Self.instant("2026-12-14T08:00:00Z"))
    }

    @Test func clockTimesParseStrictly() {
        #expect(ClockTime("07:30")?.minute == 450 && ClockTime("00:00")?.minute == 0 && ClockTime("23:59")?.minute == 1439)
        for bad in ["7:30", "24:00", "12:60", "12-30", "ab:cd", "", "12:30:00", "１２:３０"] {
            #expect(ClockTime(bad) == nil, "\(bad)")
        }
        #expect(ClockTime(minute: 450)?.description == "07:30")
    }

    @Test func milestones() {
        #expect([7, 30, 100].allSatisfy(StreakMilestones.isMilestone))
        #expect(![1, 6, 8, 29, 31, 99, 101].contains(where: StreakMilestones.isMilestone))
    }

    @Test func preferencesDefaultsAndTheMandatoryCategory() {
        var preferences = Preferences.standard
        #expect(preferences.allows(.orders, on: .email) && !preferences.allows(.reminders, on: .email))
        preferences.channels = ["orders": ["email": false], "security": ["email": false]]
        #expect(!preferences.allows(.orders, on: .email) && preferences.allows(.orders, on: .inApp))
        #expect(preferences.allows(.security, on: .email), "security cannot be switched off")
    }
}

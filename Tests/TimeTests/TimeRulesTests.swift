import FlotillaKit
import HTTPTypes
import Testing

@testable import Time

/// The time service's pure rules as tables: durations, Kimai's rounding, costs, ISO weeks and
/// the timesheet state machine.
@Suite("time: rules")
struct TimeRulesTests {
    @Test(arguments: [
        ("2:27", 8820), ("0:05", 300), ("2:27:30", 8850), ("2h27m", 8820), ("2h 27m", 8820), ("90m", 5400), ("45s", 45),
        ("1h30m15s", 5415), ("2h", 7200), ("5400", 5400), ("0", 0), ("168:00", 604_800), ("10H", 36000),
    ])
    func durations(_ text: String, _ seconds: Int) {
        #expect(DurationText.seconds(text) == seconds)
    }

    @Test(arguments: ["", "2:60", "2:7", ":30", "2:", "-5", "1.5h", "2m3h", "2h2h", "h", "abc", "169:00", "2:27:60", "1d", "9999999"])
    func notDurations(_ text: String) {
        #expect(DurationText.seconds(text) == nil)
    }

    /// 09:07:30 → 10:52:10 UTC in each mode, at 15 minutes; and in a zone half an hour off UTC.
    @Test(arguments: [
        (Rounding.Mode.default, 15, 0, "09:00:00", "11:00:00"), (.closest, 15, 0, "09:15:00", "10:45:00"),
        (.floor, 15, 0, "09:00:00", "10:45:00"), (.ceil, 15, 0, "09:15:00", "11:00:00"),
        (.default, 1, 0, "09:07:00", "10:53:00"), (.closest, 60, 0, "09:00:00", "11:00:00"),
        // India (+05:30): local 14:37:30 → 16:22:10; hourly steps fall on local hours (14:00 → 17:00 local).
        (.default, 60, 19_800, "08:30:00", "11:30:00"),
    ])
    func rounding(_ mode: Rounding.Mode, _ minutes: Int, _ offset: Int, _ start: String, _ end: String) {
        let day: Int64 = 1_796_515_200  // 2026-12-06T00:00:00Z
        let (roundedStart, roundedEnd) = Rounding(minutes: minutes, mode: mode).apply(start: day + 9 * 3600 + 7 * 60 + 30, end: day + 10 * 3600 + 52 * 60 + 10, offset: offset)
        #expect(Self.clock(roundedStart - day) == start && Self.clock(roundedEnd - day) == end)
    }

    @Test func roundingNeverEndsBeforeTheStartAndKeepsExactMarks() {
        let rule = Rounding(minutes: 15, mode: .closest)
        #expect(rule.apply(start: 900 * 4 + 100, end: 900 * 4 + 200) == (3600, 3600), "a short entry rounds to nothing, not below it")
        #expect(Rounding(minutes: 15, mode: .ceil).apply(start: 1800, end: 2700) == (1800, 2700), "marks stay where they are")
    }

    @Test(arguments: [
        ("80.00", 3600, "80.00"), ("80.00", 5400, "120.00"), ("95.00", 8820, "232.75"), ("33.33", 60, "0.56"), ("33.33", 61, "0.56"),
        ("0.01", 1800, "0.01"), ("0.01", 1799, "0.00"), ("12.34", 0, "0.00"), ("99999.99", 604_800, "16799998.32"),
    ])
    func costsAreExactToTheCent(_ rate: String, _ seconds: Int, _ cost: String) {
        #expect(Cost.of(rate: Money(rate)!, seconds: seconds).description == cost)
    }

    @Test(arguments: [
        ("2026-12-06", "2026-W49", "2026-11-30"), ("2026-01-01", "2026-W01", "2025-12-29"), ("2026-12-31", "2026-W53", "2026-12-28"),
        ("2027-01-03", "2026-W53", "2026-12-28"), ("2027-01-04", "2027-W01", "2027-01-04"), ("2024-12-30", "2025-W01", "2024-12-30"),
    ])
    func isoWeeks(_ date: String, _ name: String, _ monday: String) {
        let week = ISOWeek(containing: LocalDate(date)!)
        #expect(week.description == name && week.monday.description == monday)
        #expect(ISOWeek(name) == week)
    }

    @Test(arguments: ["2026-W54", "2025-W53", "2026-W00", "2026W49", "26-W49", "2026-w49", "2026-W4"])
    func notWeeks(_ text: String) {
        #expect(ISOWeek(text) == nil)
    }

    /// Every status × action × person: the next status, or the refusal's HTTP status.
    @Test func theTimesheetStateMachine() {
        typealias Person = (owner: Bool, approver: Bool)
        let owner: Person = (true, false), approver: Person = (false, true), stranger: Person = (false, false)
        let table: [(TimesheetStatus, TimesheetAction, Person, String)] = [
            (.draft, .submit, owner, "submitted"), (.rejected, .submit, owner, "submitted"),
            (.submitted, .submit, owner, "409"), (.approved, .submit, owner, "409"), (.draft, .submit, approver, "403"),
            (.submitted, .approve, approver, "approved"), (.submitted, .reject, approver, "rejected"),
            (.submitted, .approve, owner, "403"), (.submitted, .approve, (true, true), "403"), (.submitted, .reject, stranger, "403"),
            (.draft, .approve, approver, "409"), (.approved, .reject, approver, "409"), (.rejected, .approve, approver, "409"),
            (.approved, .approve, approver, "409"),
        ]
        for (status, action, person, expected) in table {
            do {
                let next = try TimesheetWorkflow.next(status, action, isOwner: person.owner, isApprover: person.approver)
                #expect(next.rawValue == expected, "\(status) \(action)")
            } catch {
                #expect(String(error.status.code) == expected, "\(status) \(action): \(error.message)")
            }
        }
        #expect(TimesheetStatus.allCases.filter(\.isEditable) == [.draft, .rejected])
    }

    static func clock(_ seconds: Int64) -> String {
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(two(seconds / 3600)):\(two(seconds % 3600 / 60)):\(two(seconds % 60))"
    }
}

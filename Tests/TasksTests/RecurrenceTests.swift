import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Tasks

@Suite("tasks: recurrence")
struct RecurrenceTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let rule: Recurrence
        let start: String?
        let due: String?
        let completedOn: String
        let nextStart: String?
        let nextDue: String

        var testDescription: String { "\(rule.frequency) ×\(rule.interval) from \(rule.from), due \(due ?? "-"), done \(completedOn)" }
    }

    static let cases: [Case] = [
        // From the due date: the next date on the schedule after the completion day.
        Case(rule: .init(frequency: .daily, interval: 1, from: .dueDate), start: nil, due: "2026-03-10", completedOn: "2026-03-10", nextStart: nil, nextDue: "2026-03-11"),
        Case(rule: .init(frequency: .daily, interval: 2, from: .dueDate), start: nil, due: "2026-03-10", completedOn: "2026-03-09", nextStart: nil, nextDue: "2026-03-12"),
        Case(rule: .init(frequency: .weekly, interval: 1, from: .dueDate), start: "2026-03-08", due: "2026-03-10", completedOn: "2026-03-10", nextStart: "2026-03-15", nextDue: "2026-03-17"),
        // Completed late: skipped occurrences are not made; the next is after today.
        Case(rule: .init(frequency: .weekly, interval: 1, from: .dueDate), start: nil, due: "2026-03-10", completedOn: "2026-03-30", nextStart: nil, nextDue: "2026-03-31"),
        // Months keep the day, clamped to short months, and come back to it.
        Case(rule: .init(frequency: .monthly, interval: 1, from: .dueDate), start: nil, due: "2026-01-31", completedOn: "2026-01-31", nextStart: nil, nextDue: "2026-02-28"),
        Case(rule: .init(frequency: .monthly, interval: 1, from: .dueDate), start: nil, due: "2026-01-31", completedOn: "2026-03-01", nextStart: nil, nextDue: "2026-03-31"),
        Case(rule: .init(frequency: .monthly, interval: 1, from: .dueDate), start: nil, due: "2028-01-31", completedOn: "2028-01-31", nextStart: nil, nextDue: "2028-02-29"),
        Case(rule: .init(frequency: .monthly, interval: 3, from: .dueDate), start: nil, due: "2026-11-15", completedOn: "2026-11-15", nextStart: nil, nextDue: "2027-02-15"),
        // From completion: counted from the day it was done.
        Case(rule: .init(frequency: .daily, interval: 3, from: .completion), start: nil, due: "2026-03-01", completedOn: "2026-03-10", nextStart: nil, nextDue: "2026-03-13"),
        Case(rule: .init(frequency: .weekly, interval: 2, from: .completion), start: "2026-02-27", due: "2026-03-01", completedOn: "2026-03-10", nextStart: "2026-03-22", nextDue: "2026-03-24"),
        // No due date: from the completion day either way.
        Case(rule: .init(frequency: .daily, interval: 1, from: .dueDate), start: nil, due: nil, completedOn: "2026-03-10", nextStart: nil, nextDue: "2026-03-11"),
    ]

    @Test(arguments: cases)
    func nextDates(_ example: Case) throws {
        let next = example.rule.nextDates(
            start: example.start.flatMap(LocalDate.init), due: example.due.flatMap(LocalDate.init), completedOn: try #require(LocalDate(example.completedOn)))
        #expect(next.due.description == example.nextDue)
        #expect(next.start?.description == example.nextStart)
    }

    @Test func concurrentCompletionsMakeExactlyOneNextOccurrence() async throws {
        try await TasksHarness.run { api in
            try await api.project("WEB", members: ["bob": "member"])
            let task = try await api.task(#"{"project": "WEB", "title": "Water the plants", "due_on": "2026-01-05", "assignees": ["bob"], "repeat": {"frequency": "weekly"}}"#)
            #expect((task["repeat"] as? [String: Any])?["from"] as? String == "due_date", "\(task)")
            let done = try await api.state("Done")
            let token = try await api.token()
            let replies = try await api.api.client.burst(
                8, "PATCH", "/tasks/WEB-1", headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                body: #"{"state_id": "\#(done)"}"#)
            #expect(replies.allSatisfy { $0.status == 200 }, "\(replies.map(\.status))")
            let next = try await api.pool.query(
                "SELECT key, due_on::text AS due, state_group FROM tasks WHERE recurrence_of = (SELECT id FROM tasks WHERE key = 'WEB-1')"
            ).rows
            #expect(next.count == 1)
            #expect(try next.first?.decode("key", as: String.self) == "WEB-2")
            #expect(try next.first?.decode("state_group", as: String.self) == "unstarted", "the next occurrence starts in the default state")
            let occurrences = try await api.pool.query("SELECT count(*)::int AS n FROM tasks").rows[0].decode("n", as: Int.self)
            #expect(occurrences == 2)
            // Reopening and completing again does not make another.
            #expect(try await api.move("WEB-1", to: "Doing").status == .ok)
            #expect(try await api.move("WEB-1", to: "Done").status == .ok)
            #expect(try await api.pool.query("SELECT count(*)::int AS n FROM tasks").rows[0].decode("n", as: Int.self) == 2)
            let second = try await api.send(.get, "/tasks/WEB-2", token: token)
            #expect(second.json["assignees"] as? [String] == ["bob"] && (second.json["repeat"] as? [String: Any])?["frequency"] as? String == "weekly")
            let completions = try await EventCatalogue.recorded(in: api.pool).filter { $0.type == "task.completed" }
            #expect(completions.count == 2, "one per real transition, not one per request")
        }
    }
}

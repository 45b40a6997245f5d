import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Habits

/// Every habit event, recorded with its change and as `events.yaml` describes it.
@Suite("habits: events")
struct HabitEventsTests {
    @Test func everyChangeIsRecordedAsCatalogued() async throws {
        try await HabitsHarness.run { api in
            let alice = try await api.token()
            let id = try await api.createHabit(#"{"name": "Run", "reminder_time": "07:30", "timezone": "Europe/Berlin"}"#, token: alice)
            let day = HabitsHarness.today(in: "Europe/Berlin")  // the habit's own day, not UTC's
            for offset in [-1, 0] {
                let reply = try await api.send(.put, "/habits/\(id)/check-ins/\(day.adding(days: offset))", json: #"{"value": 1}"#, token: alice)
                #expect(reply.status == .ok || reply.status == .created, "\(reply.body)")
            }
            #expect(try await api.send(.patch, "/habits/\(id)", json: #"{"reminder_time": null}"#, token: alice).status == .ok)
            #expect(try await api.send(.post, "/habits/\(id)/archive", token: alice).status == .ok)
            #expect(try await api.send(.post, "/habits/\(id)/unarchive", token: alice).status == .ok)
            #expect(try await api.send(.delete, "/habits/\(id)", token: alice).status == .noContent)
            // A refused change records nothing.
            #expect(try await api.send(.patch, "/habits/\(id)", json: #"{"name": "gone"}"#, token: alice).status == .notFound)

            let events = try await EventCatalogue.recorded(in: api.pool)
            #expect(events.map(\.type) == [
                "habit.created", "habit.checked_in", "habit.streak_extended", "habit.checked_in", "habit.streak_extended",
                "habit.updated", "habit.archived", "habit.unarchived", "habit.deleted",
            ])
            #expect(events[0].data["reminder_time"] == "07:30" && events[0].data["timezone"] == "Europe/Berlin")
            #expect(events[5].data["reminder_time"] == .null, "the update carries the cleared reminder")
            #expect(events[6].data["archived"] == .bool(true) && events[7].data["archived"] == .bool(false))
            let path = EventCatalogue.path(ofService: "Habits")
            let problems = try await EventCatalogue.problems(catalogue: path, events: events)
            #expect(problems.isEmpty, "\(problems)")
        }
    }
}
